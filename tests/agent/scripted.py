"""Scripted answers for tasks on the example site; each finds its element by name in the observation."""

from __future__ import annotations

from typing import Any

from examples.model import find

Answer = Any


def act(intention: str, kind: str, name: str | None = None, role: str | None = None, **fields: Any) -> Answer:
    def respond(request: dict[str, Any]) -> dict[str, Any]:
        action: dict[str, Any] = {"kind": kind, **fields}
        if name is not None:
            action["element"] = find(request, name, role)
        return {"thought": "", "intention": intention, "action": action}

    return respond


def login_script() -> list[Answer]:
    return [
        act("Type the account e-mail", "fill", "E-mail", "textbox", parameter="email"),
        act("Type the password", "fill", "Password", "input", parameter="password"),
        act("Submit the login form", "click", "Sign in", "button"),
        act("The dashboard is shown: logged in", "complete", summary="logged in"),
    ]


ORDERS_SCHEMA = {
    "type": "object",
    "properties": {
        "orders": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"order": {"type": "string"}, "product": {"type": "string"}, "price": {"type": "number"}},
                "required": ["order", "product", "price"],
            },
        },
        "total": {"type": "number"},
    },
    "required": ["orders", "total"],
}


def extract_orders(request: dict[str, Any]) -> dict[str, Any]:
    row = find(request, "1001", "row", contains=True)
    return {
        "intention": "Read every order and the total spent",
        "action": {
            "kind": "extract",
            "output": "history",
            "fields": [
                {
                    "name": "orders",
                    "element": row,
                    "many": True,
                    "columns": {"order": row + 1, "product": row + 2, "price": row + 3},
                },
                {"name": "total", "element": find(request, "$1,070.49", "text"), "value": "$1,070.49"},
            ],
        },
    }
