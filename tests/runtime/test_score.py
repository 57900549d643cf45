from __future__ import annotations

from runtime import score
from tracer import Fingerprint

BUTTON = Fingerprint(
    tag="button",
    role="button",
    name="Sign in",
    text="Sign in",
    attributes={"id": "login-button", "type": "submit"},
    ancestors=("form#login-form", "main", "body"),
)


def _live(**changes: object) -> dict:
    base = BUTTON.model_dump()
    base.update(changes)
    return base


def test_identical_element_scores_one() -> None:
    assert score(BUTTON, _live()) == 1.0


def test_renamed_id_still_clearly_the_element() -> None:
    assert score(BUTTON, _live(attributes={"id": "signin", "type": "submit"})) > 0.85


def test_reworded_label_still_the_element() -> None:
    assert score(BUTTON, _live(name="Log in", text="Log in")) > 0.75


def test_link_with_the_same_text_elsewhere_is_rejected() -> None:
    link = {"tag": "a", "role": "link", "name": "Sign in", "text": "Sign in",
            "attributes": {"href": "/settings"}, "ancestors": ["header", "body"]}
    assert score(BUTTON, link) < 0.6


def test_features_missing_from_the_recording_do_not_count() -> None:
    sparse = Fingerprint(tag="p")
    assert score(sparse, {"tag": "p", "text": "anything"}) == 1.0
