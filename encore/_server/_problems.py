"""Errors as HTTP answers: 4xx with one `detail` line; 422 lists each field (`loc`) and never echoes the input."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

__all__ = ["ERROR_RESPONSES", "Problem", "field_error", "install"]


class _Refusal(BaseModel):
    detail: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": _Refusal, "description": "No API key, or one this server does not know"},
    403: {"model": _Refusal, "description": "A revoked key, or a read-only key asking for a change"},
    404: {"model": _Refusal, "description": "No such run, version, schedule or workflow"},
}
"""What every /v1 route may answer besides its own success (422 is described by FastAPI)."""


class Problem(Exception):
    """An HTTP error answer: a status, one line of detail, and for 422 the fields at fault."""

    def __init__(self, status: int, detail: str, *, errors: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors, headers


def field_error(loc: tuple[str | int, ...], message: str) -> Problem:
    """A 422 naming one field, e.g. `field_error(("body", "params", "site"), "needs a value")`."""
    return Problem(422, f"{_where(loc)}: {message}", errors=[{"loc": list(loc), "msg": message, "type": "value_error"}])


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def _answer(problem: Problem) -> JSONResponse:
    content: dict[str, Any] = {"detail": problem.errors if problem.errors is not None else problem.detail}
    if problem.errors is not None:
        content["message"] = problem.detail
    return JSONResponse(content, status_code=problem.status, headers=problem.headers)


async def _problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return _answer(exc)


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # FastAPI's default answer echoes the offending input, which may be a secret: only where and why.
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    message = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in errors)
    return _answer(Problem(422, message, errors=errors))


def install(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(RequestValidationError, _invalid)
