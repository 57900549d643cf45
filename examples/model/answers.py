"""Scripted answers for tasks on the example shop; each finds its element by name in the observation."""

from __future__ import annotations

from typing import Any

from .server import Responder, find

__all__ = ["act", "locate_answer", "login_answers"]


def act(intention: str, kind: str, name: str | None = None, role: str | None = None, **fields: Any) -> Responder:
    """A decision: `kind` on the element named `name` (with `role`), plus the action's other fields."""

    def respond(request: dict[str, Any]) -> dict[str, Any]:
        action: dict[str, Any] = {"kind": kind, **fields}
        if name is not None:
            action["element"] = find(request, name, role)
        return {"thought": "", "intention": intention, "action": action}

    return respond


def locate_answer(name: str, role: str | None = None, confidence: float = 0.9) -> Responder:
    """An answer to the element-level fallback: the element named `name`."""
    return lambda request: {"element": find(request, name, role), "confidence": confidence, "reason": f"it is {name!r}"}


def login_answers() -> list[Responder]:
    """Signing in to the shop with the `email` parameter and the `password` secret."""
    return [
        act("Type the account e-mail", "fill", "E-mail", "textbox", parameter="email"),
        act("Type the password", "fill", "Password", "input", parameter="password"),
        act("Submit the login form", "click", "Sign in", "button"),
        act("The dashboard is shown: logged in", "complete", summary="logged in"),
    ]
