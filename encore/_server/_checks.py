"""A request's workflow, parameters and secrets checked before anything is stored: each problem is a 422
whose `loc` names the field at fault (`body.definition.blocks.0.url`, `body.params.site`), never its value."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from tracer import Redactor, ShapeError, check_shape

from .._params import Scalar, bind
from .._workflow import Workflow, WorkflowError
from ._problems import Problem, field_error

__all__ = ["parse_definition", "plain_params", "refuse_secret_values"]

Loc = tuple[str | int, ...]


def parse_definition(data: Any, loc: Loc) -> Workflow:
    """An inline or stored workflow definition; each invalid field is named under `loc`."""
    try:
        check_shape(data, ".".join(map(str, loc)))  # before validation walks it (YAML-made bombs, deep nesting)
    except ShapeError as exc:
        raise field_error(loc, str(exc)) from None
    try:
        return Workflow.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        fields = [{"loc": [*loc, *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in errors]
        message = "; ".join(f"{'.'.join(map(str, f['loc']))}: {f['msg']}" for f in fields)
        raise Problem(422, message, errors=fields) from None


def plain_params(workflow: Workflow, params: dict[str, Scalar], loc: Loc = ("body", "params")) -> dict[str, Scalar]:
    """The plain parameters, typed and complete, each problem named by the parameter; a secret offered as a
    plain parameter is refused unread, and so is a file parameter (a path on the worker's disk: a client of
    the API must not choose which of the server's files a run uploads)."""
    declared = {p.name: p for p in workflow.parameters}
    for name in sorted(params):
        parameter = declared.get(name)
        if parameter is None:
            raise field_error((*loc, name), f"is not a parameter of {workflow.id}; declared: {sorted(declared) or 'none'}")
        if parameter.secret:
            raise field_error(
                (*loc, name),
                "is a secret parameter: it is never stored with the run; send it in `secrets`, or set "
                f"ENCORE_PARAM_{name.upper()} where the workers run",
            )
    for name, parameter in declared.items():
        if parameter.type == "file":
            raise field_error(
                (*loc, name), "is a file parameter (a path on the worker's disk): the HTTP API does not take file "
                "parameters; run this workflow with `encore run` or `encore submit` where the file is",
            )
        if not parameter.secret and name not in params and parameter.default is None:
            raise field_error((*loc, name), f"needs a value (a {parameter.type})")
        if name in params:
            try:
                bind(workflow.model_copy(update={"parameters": [parameter]}), {name: params[name]})
            except WorkflowError:
                raise field_error((*loc, name), f"must be a {parameter.type}") from None
    values, _ = bind(workflow, {**params, **{p.name: "-" for p in workflow.parameters if p.secret}})
    return values


def refuse_secret_values(secrets: Mapping[str, str], body: Mapping[str, Any], loc: Loc = ("body",)) -> None:
    """A secret's value anywhere else in the request (a plain parameter, the webhook URL, a definition) would be
    stored with the run: refused, naming the field, in any spelling the redactor knows."""
    redactor = Redactor(secrets)
    if not redactor:
        return
    for where, text in _strings(body, loc):
        if where[:2] != ("body", "secrets") and redactor.found(text):
            raise field_error(where, "holds the value of a secret parameter, which would be stored with the run")


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, (*loc, str(key)))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))
