"""Recording-time data: what the recorder drops from candidates, marks in fingerprints and cuts from checks."""

from __future__ import annotations

from tracer import Candidate, Context, Fingerprint, Ref, Scope, Template
from tracer._stale import StaleData

DATA = StaleData(["Blue kettle", "ada@example.com", "42", "yes"])


def test_a_value_is_found_whatever_its_case_and_spacing() -> None:
    assert DATA.found_in("Created “BLUE   kettle”.")
    assert DATA.found_in("Subscribed: ada@example.com")
    assert not DATA.found_in("Green teapot")


def test_short_values_match_whole_words_only_and_the_shortest_not_at_all() -> None:
    assert DATA.found_in("gift wrap: yes") and not DATA.found_in("eyes open")
    assert not DATA.found_in("Order 42"), "two characters would turn up everywhere"


def test_candidates_holding_a_value_are_dropped_wherever_it_sits() -> None:
    scope = Scope(strategy="role", value="listitem", has_text="Blue kettle")
    kept = DATA.candidates([
        Candidate(strategy="role", value="link", name="Blue kettle", exact=True),
        Candidate(strategy="role", value="checkbox", scope=scope),
        Candidate(strategy="text", value="Green teapot", exact=True),
    ])
    assert [c.value for c in kept] == ["Green teapot"]


def test_fingerprint_fields_holding_a_value_are_marked_stale_and_secrets_removed() -> None:
    data = StaleData(["Blue kettle"])
    data.add("hunter22", secret=True)
    fingerprint = Fingerprint(
        tag="a", role="link", name="Blue kettle", text="hunter22 Blue kettle",
        context=Context(container="li", text="Blue kettle"),
    )
    marked = data.fingerprint(fingerprint)
    assert marked.stale == ("name", "context") and marked.text is None
    assert data.fingerprint(Fingerprint(tag="p", text="Green teapot")) == Fingerprint(tag="p", text="Green teapot")


def test_a_check_keeps_the_words_around_the_value() -> None:
    assert DATA.check_text("Subscribed: ada@example.com") == "Subscribed"
    assert DATA.check_text("Created “Blue kettle”.") == "Created"
    assert DATA.check_text("Saved.") == "Saved."
    assert DATA.check_text("Blue kettle") is None


def test_what_a_template_stands_for_is_this_runs_data_not_the_recordings() -> None:
    title = Template(parts=("Open ", Ref(kind="param", name="title")))
    templated = Candidate(strategy="role", value="link", name="Open Blue kettle", exact=True, template=title)
    scope = Scope(strategy="role", value="row", has_text="Blue kettle", template=Template(parts=(Ref(kind="param", name="title"),)))
    scoped = Candidate(strategy="role", value="button", name="Cancel", exact=True, scope=scope)
    assert DATA.candidates([templated, scoped]) == [templated, scoped]
    # A literal part that still holds a value no reference stands for is stale all the same.
    half = Template(parts=("Blue kettle and ", Ref(kind="param", name="title")))
    assert DATA.candidates([templated.model_copy(update={"template": half})]) == []
    fingerprint = Fingerprint(tag="a", role="link", name="Open Blue kettle", templates={"name": title})
    assert DATA.fingerprint(fingerprint).stale is None
    assert DATA.check_text("Created “Blue kettle”.", Template(parts=("Created “", Ref(kind="param", name="title"), "”."))) == (
        "Created “Blue kettle”."
    )
