"""What the scripted stand-in model answers for each example workflow's first (agent) run."""

from __future__ import annotations

from examples.model import act, find, login_answers
from examples.model.server import Responder

__all__ = ["FIRST_RUN_ANSWERS", "extract_history"]


def extract_history(request: dict) -> dict:
    """Extract the order table (a row and its cells) and the total into the output `history`."""
    row = find(request, "1001", "row", contains=True)
    return {
        "intention": "Read every order and the total spent",
        "action": {
            "kind": "extract",
            "output": "history",
            "fields": [
                {"name": "orders", "element": row, "many": True,
                 "columns": {"order": row + 1, "product": row + 2, "price": row + 3}},
                {"name": "total", "element": find(request, "$1,070.49", "text")},
            ],
        },
    }


def _order(gift: bool) -> list[Responder]:
    branch = (
        [act("Ask for gift wrap", "set_checked", "Gift wrap", "checkbox", checked=True), act("Wrapped", "complete")]
        if gift
        else [act("Say no gift wrap in the notes", "fill", "Notes", "textbox", text="no gift wrap, thanks"),
              act("Noted", "complete")]
    )
    return [
        *login_answers(),
        act("Type the product", "fill", "Product", "textbox", text="Blue mug"),
        act("Product typed", "complete"),
        *branch,
        act("Place the order", "click", "Place order", "button"),
        act("The confirmation is shown", "complete"),
    ]


FIRST_RUN_ANSWERS: dict[str, list[Responder]] = {
    "login.yaml": login_answers(),
    "order_history.yaml": [*login_answers(), extract_history, act("Orders read", "complete")],
    "gift_order.yaml": _order(gift=False),
}
