"""Where a workflow goes: the origins of its URLs and the parameters that choose them.

Both decide security-relevant things: the cache slot (code recorded on site A must not replay for a start
URL on site B, where it would type B's password into A) and the origins a secret may be typed on when
the agent works (its own site, as a password manager would have it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import nodes

from tracer import origin_of

from ._templates import TemplateProblem, parse, render
from ._workflow import Workflow, walk

__all__ = ["Destinations", "destinations"]


class Destinations:
    """The origins a workflow's URLs render to, and the values of the parameters those URLs use."""

    def __init__(self, origins: set[str], choosers: dict[str, Any]) -> None:
        self.origins = origins
        self.choosers = choosers

    def signature(self) -> list[Any]:
        """What the cache key digests: sorted, JSON-ready."""
        return [sorted(self.origins), sorted((k, str(v)) for k, v in self.choosers.items())]

    def secret_origins(self, workflow: Workflow, base_url: str | None) -> dict[str, tuple[str, ...]]:
        """Secret name -> where the agent may type it: its declared origins, else the workflow's own (and the
        `--base-url` origin replays are moved to). A secret with nowhere known is not restricted here; the
        origin it is first typed on is recorded and binds every replay."""
        known = set(self.origins)
        rebased = origin_of(base_url) if base_url else None
        if rebased and known:
            known.add(rebased)
        out: dict[str, tuple[str, ...]] = {}
        for parameter in workflow.parameters:
            if not parameter.secret:
                continue
            origins = set(parameter.origins) or known
            if origins:
                out[parameter.name] = tuple(sorted(origins))
        return out


def destinations(workflow: Workflow, values: Mapping[str, Any]) -> Destinations:
    origins: set[str] = set()
    choosers: dict[str, Any] = {}
    context = {**values, "params": dict(values)}
    for block in walk(workflow.blocks):
        url = getattr(block, "url", None)
        if not isinstance(url, str) or not url:
            continue
        for name in _referenced(url):
            if name in values:
                choosers[name] = values[name]
        try:
            origin = origin_of(render(url, context, f"block {block.label}: url"))
        except TemplateProblem:
            continue  # it names a loop item or an output: decided at run time, bound by the recorded origin
        if origin:
            origins.add(origin)
    return Destinations(origins, choosers)


def _referenced(template: str) -> set[str]:
    """Parameter names a template reads, as `name` or as `params.name`."""
    try:
        tree = parse(template)
    except Exception:  # noqa: BLE001 - validation already refused templates that do not parse
        return set()
    names = {node.name for node in tree.find_all(nodes.Name)}
    names |= {
        node.attr for node in tree.find_all(nodes.Getattr) if isinstance(node.node, nodes.Name) and node.node.name == "params"
    }
    names |= {
        node.arg.value
        for node in tree.find_all(nodes.Getitem)
        if isinstance(node.node, nodes.Name) and node.node.name == "params" and isinstance(node.arg, nodes.Const)
    }
    return names
