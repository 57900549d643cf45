"""Scripted answers for tasks on the example site; each finds its element by name in the observation."""

from __future__ import annotations

from typing import Any

from examples.model import act, login_answers
from examples.workflows.answers import extract_history as extract_orders

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
