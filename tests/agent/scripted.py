"""Scripted answers for tasks on the example site; each finds its element by name in the observation."""

from __future__ import annotations

from typing import Any

from examples.model import act, find, login_answers

__all__ = ["ORDERS_SCHEMA", "act", "extract_orders", "login_script"]

Answer = Any


def login_script() -> list[Answer]:
    return login_answers()


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
