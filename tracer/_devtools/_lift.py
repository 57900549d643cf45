"""Typed values lifted out of a recording: `--secret`/`--param` NAME=<step index or selector>, and passwords."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .._model import Parameter

__all__ = ["Lift", "Lifted", "find_leak", "looks_like_password", "parse_lift", "plan_lifts", "secret_values"]

# Accessible names, ids and attribute values that say "this field takes a password", in a few languages.
_PASSWORD = re.compile(
    r"pass(?:word|wd|phrase|code)|(?<![a-z])pwd(?![a-z])|passwort|mot de passe|contrase(?:ñ|n)a|senha|wachtwoord|пароль|密码",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Lift:
    """`NAME=SPEC` from the command line: SPEC is a recording step index (0-based) or one of its selectors."""

    name: str
    spec: str
    secret: bool

    def matches(self, index: int, raw: dict[str, Any]) -> bool:
        """This lift names step `index` (by its position or one of its selectors)."""
        if self.spec.isdigit():
            return int(self.spec) == index
        selectors = raw.get("selectors")
        if not isinstance(selectors, list):
            return False
        for alternative in selectors:
            parts = [alternative] if isinstance(alternative, str) else alternative
            if not isinstance(parts, list):
                continue
            if self.spec in parts or self.spec == " ".join(map(str, parts)) or self.spec == json.dumps(parts):
                return True
        return False


@dataclass(frozen=True)
class Lifted:
    """What one step's typed value becomes: a parameter or secret reference, and the declaration."""

    parameter: Parameter
    reason: str


def parse_lift(text: str, *, secret: bool) -> Lift:
    """`NAME=STEP` from `--secret`/`--param` as a Lift; ValueError naming the flag when malformed."""
    flag = "--secret" if secret else "--param"
    name, eq, spec = text.partition("=")
    if not eq or not name or not spec:
        raise ValueError(f"{flag} {text!r}: expected NAME=<step index or selector>")
    try:
        Parameter(name=name)
    except ValueError:
        raise ValueError(f"{flag} {text!r}: {name!r} is not a usable parameter name (a Python identifier)") from None
    return Lift(name=name, spec=spec, secret=secret)


def looks_like_password(raw: dict[str, Any]) -> str | None:
    """The selector that names a password field, if one of the step's selectors does."""
    selectors = raw.get("selectors")
    for alternative in selectors if isinstance(selectors, list) else []:
        parts = [alternative] if isinstance(alternative, str) else alternative
        for part in parts if isinstance(parts, list) else []:
            if isinstance(part, str) and (_PASSWORD.search(part) or re.search(r"type\s*=\s*['\"]?password", part, re.IGNORECASE)):
                return part
    return None


def plan_lifts(steps: list[Any], lifts: list[Lift], *, detect_passwords: bool) -> tuple[dict[int, Lifted], list[str]]:
    """Step index -> what its value becomes; refuses a spec that matches nothing or conflicting values."""
    plan: dict[int, Lifted] = {}
    notes: list[str] = []
    values: dict[str, str] = {}
    for lift in lifts:
        flag = "--secret" if lift.secret else "--param"
        hits = [
            i for i, raw in enumerate(steps)
            if isinstance(raw, dict) and raw.get("type") in ("change", "navigate") and lift.matches(i, raw)
        ]
        if not hits:
            raise ValueError(f"{flag} {lift.name}={lift.spec}: no change or navigate step has that index or selector")
        for index in hits:
            raw = steps[index]
            value = raw.get("value") if raw.get("type") == "change" else raw.get("url")
            if not isinstance(value, str):
                continue  # the step's own check names the problem
            if lift.secret and raw.get("type") == "navigate":
                raise ValueError(f"{flag} {lift.name}: steps[{index}] is a navigation; only typed values can be secret")
            if lift.name in values and values[lift.name] != value:
                raise ValueError(f"{flag} {lift.name}: the steps it names typed different values")
            values[lift.name] = value
            if index in plan and plan[index].parameter.name != lift.name:
                raise ValueError(f"{flag} {lift.name}: steps[{index}] is already {plan[index].parameter.name!r}")
            default = None if lift.secret else value
            plan[index] = Lifted(Parameter(name=lift.name, secret=lift.secret, default=default), flag)
    if detect_passwords:
        taken = {lifted.parameter.name for lifted in plan.values()}
        for index, raw in enumerate(steps):
            if index in plan or not isinstance(raw, dict) or raw.get("type") != "change":
                continue
            field = looks_like_password(raw)
            if field is None or not isinstance(raw.get("value"), str):
                continue
            same = next((p for i, p in plan.items() if p.parameter.secret and values.get(p.parameter.name) == raw["value"]), None)
            if same is None:
                name = _free_name("password", taken)
                taken.add(name)
                same = Lifted(Parameter(name=name, secret=True), "detected")
                values[name] = raw["value"]
            plan[index] = same
            notes.append(f"steps[{index}]: {field!r} looks like a password field: its value is the secret"
                         f" {same.parameter.name!r} (not stored; give it as ENCORE_PARAM_{same.parameter.name.upper()})")
    # A secret typed into one field and also typed, unmarked, into another is the same secret.
    for index, raw in enumerate(steps):
        if index in plan or not isinstance(raw, dict) or raw.get("type") != "change":
            continue
        for lifted in {id(p): p for p in plan.values() if p.parameter.secret}.values():
            if raw.get("value") == values.get(lifted.parameter.name):
                plan[index] = lifted
                notes.append(f"steps[{index}] types the value of secret {lifted.parameter.name!r}: it becomes that secret too")
    return plan, notes


def secret_values(steps: list[Any], plan: dict[int, Lifted]) -> dict[str, str]:
    return {
        lifted.parameter.name: steps[index]["value"]
        for index, lifted in plan.items()
        if lifted.parameter.secret and isinstance(steps[index].get("value"), str)
    }


def find_leak(data: Any, secret: str, plan: dict[int, Lifted]) -> str | None:
    """Where else in the recording the secret's value appears (a selector, a URL, an expression…)."""

    def walk(item: Any, path: str) -> str | None:
        if isinstance(item, str):
            hit = item == secret if len(secret) < 4 else secret in item
            return path if hit else None
        if isinstance(item, dict):
            for key, sub in item.items():
                found = walk(sub, f"{path}.{key}" if path else str(key))
                if found:
                    return found
        if isinstance(item, list):
            for position, sub in enumerate(item):
                found = walk(sub, f"{path}[{position}]")
                if found:
                    return found
        return None

    steps = data.get("steps") if isinstance(data, dict) else None
    for key, value in (data.items() if isinstance(data, dict) else []):
        if key != "steps":
            found = walk(value, key)
            if found:
                return found
    for index, raw in enumerate(steps or []):
        if index in plan and isinstance(raw, dict):
            raw = {k: v for k, v in raw.items() if k != "value"}
        found = walk(raw, f"steps[{index}]")
        if found:
            return found
    return None


def _free_name(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name
