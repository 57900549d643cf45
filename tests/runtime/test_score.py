"""The fingerprint score and the mismatches that rule an element out whatever its score."""

from __future__ import annotations

from runtime import score
from runtime._score import similarity, verdict
from tracer import Context, Fingerprint

BUTTON = Fingerprint(
    tag="button",
    role="button",
    name="Sign in",
    text="Sign in",
    attributes={"id": "login-button", "type": "submit"},
    ancestors=("form#login-form", "main", "body"),
    form="post /login email,password",
)


def _live(**changes: object) -> dict:
    base = BUTTON.model_dump()
    base.update(changes)
    return base


def test_identical_element_scores_one() -> None:
    assert score(BUTTON, _live()) == 1.0
    assert verdict(BUTTON, _live()).accepted(0.6)


def test_renamed_id_still_clearly_the_element() -> None:
    assert score(BUTTON, _live(attributes={"id": "signin", "type": "submit"})) > 0.85


def test_attributes_a_release_adds_do_not_count_and_state_attributes_are_ignored() -> None:
    recorded = BUTTON.model_copy(update={"attributes": {"id": "login-button", "type": "submit", "aria-expanded": "false"}})
    added = {"id": "login-button", "type": "submit", "aria-expanded": "true", "aria-describedby": "hint", "data-x": "1"}
    assert score(recorded, _live(attributes=added)) == 1.0


def test_a_matching_identity_attribute_outweighs_a_moved_element() -> None:
    moved = _live(ancestors=["div.actions", "section", "body"])
    assert score(BUTTON, moved) > 0.85
    anonymous = BUTTON.model_copy(update={"attributes": {"type": "submit"}, "form": None})
    assert score(BUTTON, moved) > score(anonymous, moved)


def test_a_substring_name_is_another_element() -> None:
    subscribe = Fingerprint(tag="button", role="button", name="Subscribe", text="Subscribe", attributes={"type": "button"})
    judged = verdict(subscribe, {"tag": "button", "role": "button", "name": "Unsubscribe", "text": "Unsubscribe",
                                 "attributes": {"type": "button"}, "ancestors": []})
    assert judged.mismatch == "its name is 'Unsubscribe', recorded 'Subscribe'"
    assert not judged.accepted(0.0)


def test_names_compare_without_case_or_whitespace() -> None:
    assert verdict(BUTTON, _live(name="  sign\u00a0 IN ", text="sign in")).mismatch is None


def test_a_reworded_label_is_another_element_until_healed() -> None:
    assert verdict(BUTTON, _live(name="Log in", text="Log in")).mismatch is not None


def test_content_elements_are_named_by_content_which_may_change() -> None:
    status = Fingerprint(tag="p", role="status", text="Order 1004: Blue mug", attributes={"id": "summary"})
    judged = verdict(status, {"tag": "p", "role": "status", "text": "Order 1005: Red mug", "attributes": {"id": "summary"}})
    assert judged.mismatch is None and judged.accepted(0.6)


def test_a_button_of_another_form_is_another_button() -> None:
    judged = verdict(BUTTON, _live(form="post /quick-login email", attributes={"id": "quick", "type": "submit"}))
    assert judged.mismatch == (
        "it belongs to form 'post /quick-login email', recorded in form 'post /login email,password'"
    )
    assert verdict(BUTTON, _live(form=None)).mismatch is not None


def test_a_form_posting_to_the_same_address_with_other_fields_is_another_form() -> None:
    quick_order = verdict(BUTTON, _live(form="post /login token"))
    assert quick_order.mismatch is not None
    # A release that adds a field or two still sends mostly the same ones.
    assert verdict(BUTTON, _live(form="post /login email,next,password")).mismatch is None


def test_record_ids_in_form_and_link_paths_are_left_to_the_context() -> None:
    cancel = BUTTON.model_copy(update={"name": "Cancel", "text": "Cancel", "form": "post /orders/1002/cancel"})
    assert verdict(cancel, _live(name="Cancel", text="Cancel", form="post /orders/1001/cancel")).mismatch is None
    link = Fingerprint(tag="a", role="link", name="Open", attributes={"href": "/orders/1002?tab=items"})
    assert score(link, {"tag": "a", "role": "link", "name": "Open", "attributes": {"href": "/orders/77"}}) == 1.0
    assert score(link, {"tag": "a", "role": "link", "name": "Open", "attributes": {"href": "/invoices/77"}}) < 1.0


def test_a_sibling_row_is_another_element() -> None:
    cancel = BUTTON.model_copy(update={"context": Context(container="tr, [role=row]", text="Order 1002")})
    judged = verdict(cancel, _live(context={"ok": False, "text": "order 1001"}))
    assert judged.mismatch == "its container holds 'order 1001', not 'Order 1002'"
    assert verdict(cancel, _live(context={"ok": True, "text": "Order 1002"})).mismatch is None


def test_recording_time_data_never_verifies() -> None:
    link = Fingerprint(tag="a", role="link", name="My new item", stale=("name",))
    judged = verdict(link, {"tag": "a", "role": "link", "name": "My new item"})
    assert judged.mismatch and "typed during the recording" in judged.mismatch
    status = Fingerprint(tag="p", role="status", text="Saved My new item", stale=("text",))
    assert verdict(status, {"tag": "p", "role": "status", "text": "anything"}).accepted(0.6)


def test_link_with_the_same_text_elsewhere_is_rejected() -> None:
    link = {"tag": "a", "role": "link", "name": "Sign in", "text": "Sign in",
            "attributes": {"href": "/settings"}, "ancestors": ["header", "body"]}
    assert not verdict(BUTTON, link).accepted(0.6)


def test_features_missing_from_the_recording_do_not_count() -> None:
    sparse = Fingerprint(tag="p")
    assert score(sparse, {"tag": "p", "text": "anything"}) == 1.0


def test_similarity_is_a_word_sequence_ratio() -> None:
    assert similarity("Order 1004 placed", "order 1005 placed") == 2 * 2 / 6
    assert similarity("", "") == 1.0 and similarity("a", "") == 0.0
