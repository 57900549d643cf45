"""Building a block's next version from its last one: healed targets swapped in, or a tail re-recorded."""

from __future__ import annotations

from tracer import Block, Parameter, Step, Target, Trace

__all__ = ["replace_targets", "splice"]


def replace_targets(trace: Trace, targets: dict[str, Target]) -> Trace:
    """The trace with each healed step's target replaced by the one recorded during the heal."""
    blocks = []
    for block in trace.blocks:
        steps = []
        for step in block.steps:
            if step.id in targets and hasattr(step.action, "target"):
                action = step.action.model_copy(update={"target": targets[step.id]})
                step = step.model_copy(update={"action": action})
            steps.append(step)
        blocks.append(block.model_copy(update={"steps": tuple(steps)}))
    return trace.model_copy(update={"blocks": tuple(blocks)})


def splice(old: Trace, kept: list[Step], recorded: Trace) -> Trace:
    """`kept` (the steps that still worked) followed by the re-recorded steps, renumbered, in one block."""
    steps = [*kept, *(step for block in recorded.blocks for step in block.steps)]
    renumbered = tuple(step.model_copy(update={"id": f"s{n}"}) for n, step in enumerate(steps, 1))
    parameters: dict[str, Parameter] = {p.name: p for p in old.parameters}
    for parameter in recorded.parameters:
        kept = parameters.setdefault(parameter.name, parameter)
        if kept is not parameter and parameter.origins:  # a secret typed again: on the sites of both recordings
            origins = tuple(sorted({*kept.origins, *parameter.origins}))
            parameters[parameter.name] = kept.model_copy(update={"origins": origins})
    used = _referenced(renumbered)
    template = old.blocks[0]
    block = Block(label=template.label, kind=template.kind, steps=renumbered)
    return Trace.model_validate(
        {
            **old.model_dump(exclude={"blocks", "parameters"}),
            "parameters": [parameters[name].model_dump() for name in sorted(parameters) if name in used],
            "blocks": [block.model_dump()],
        }
    )


def _referenced(steps: tuple[Step, ...]) -> set[str]:
    """Names of the parameters and secrets the steps use (walks the dumped models)."""
    names: set[str] = set()

    def visit(value: object) -> None:
        if isinstance(value, dict):
            if value.get("kind") in ("param", "secret") and isinstance(value.get("name"), str):
                names.add(value["name"])
            for item in value.values():
                visit(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                visit(item)

    for step in steps:
        visit(step.model_dump())
    return names
