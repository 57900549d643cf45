"""Trace IR: the typed, frozen record of what a browser run did and why."""

from __future__ import annotations

import keyword
import re
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "SCHEMA_VERSION",
    "Action",
    "AssertAction",
    "Block",
    "Box",
    "Candidate",
    "ClickAction",
    "Column",
    "CompleteAction",
    "Context",
    "DialogShown",
    "DownloadAction",
    "ElementState",
    "ElementText",
    "ExtractAction",
    "ExtractField",
    "FieldValue",
    "FillAction",
    "Fingerprint",
    "GotoAction",
    "HoverAction",
    "LiteralValue",
    "ParamRef",
    "Parameter",
    "Postcondition",
    "PressAction",
    "RequestMade",
    "Scope",
    "ScrollAction",
    "SecretRef",
    "SelectOptionAction",
    "SetCheckedAction",
    "SetViewportAction",
    "Step",
    "Target",
    "TerminateAction",
    "Trace",
    "UploadFileAction",
    "UrlMatches",
    "Value",
    "WaitForAction",
]

SCHEMA_VERSION = 1

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_STEP_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- values -----------------------------------------------------------------


class LiteralValue(_Frozen):
    """A value written into the trace as it is."""

    kind: Literal["literal"] = "literal"
    value: str | int | float | bool


class ParamRef(_Frozen):
    """A value supplied at run time by a declared, non-secret parameter."""

    kind: Literal["param"] = "param"
    name: str


class SecretRef(_Frozen):
    """A value supplied at run time by a secret parameter; never stored."""

    kind: Literal["secret"] = "secret"
    name: str


def _bare_literal(data: Any) -> Any:
    # A bare JSON scalar is shorthand for a literal: hand-written traces stay readable.
    if isinstance(data, (str, int, float, bool)):
        return {"kind": "literal", "value": data}
    return data


Value = Annotated[
    Union[LiteralValue, ParamRef, SecretRef], Field(discriminator="kind")
]
"""A literal, a parameter reference or a secret reference."""


class _AcceptsBareLiterals(_Frozen):
    """Models whose Value fields accept a bare scalar as a literal."""

    @model_validator(mode="before")
    @classmethod
    def _wrap_bare_literals(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for name in cls._value_fields():
            if name in out:
                item = out[name]
                out[name] = (
                    [_bare_literal(v) for v in item]
                    if isinstance(item, (list, tuple))
                    else _bare_literal(item)
                )
        return out

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ()


# --- replay safety (issue 11): additive models; every new field defaults to "not recorded" ---


class Scope(_Frozen):
    """The repeated container (table row, list item, card) a candidate looks inside, told apart by its text."""

    strategy: Literal["role", "css"]
    value: str = Field(min_length=1, description="The container's role (row, listitem) or a CSS selector.")
    has_text: str = Field(
        min_length=1, description="Text only this container holds among its siblings (a plain string)."
    )


class Context(_Frozen):
    """What tells the repeated container an element sits in from its siblings."""

    container: str = Field(min_length=1, description="CSS selector of the container, for Element.closest().")
    text: str = Field(min_length=1, description="The whole text of an element in the container that siblings lack.")


class RequestMade(_Frozen):
    """The action sent a request with this method to a URL matching the pattern (a form post, a fetch)."""

    kind: Literal["request"] = "request"
    method: str = Field(min_length=1)
    url: str = Field(min_length=1, description="A URL pattern, as for the url post-condition.")
    navigates: bool = Field(False, description="The request loads the page (a form submission).")


class DialogShown(_Frozen):
    """The action raised a JavaScript dialog with this message; replay accepts it as the recording did."""

    kind: Literal["dialog"] = "dialog"
    type: Literal["alert", "confirm", "prompt", "beforeunload"]
    message: str = ""


FingerprintField = Literal["name", "text", "context"]


# --- targets ----------------------------------------------------------------

Strategy = Literal[
    "test_id", "role", "label", "placeholder", "alt", "title", "text", "css", "xpath"
]


class Candidate(_Frozen):
    """One way to find the element; a target lists them best first."""

    strategy: Strategy
    value: str = Field(min_length=1, description="The selector, text, or role name.")
    name: str | None = Field(None, description="Accessible name (role strategy only).")
    exact: bool = False
    nth: int | None = Field(None, ge=0, description="Pick the nth match (0-based).")
    scope: Scope | None = Field(None, description="Look only inside this repeated container (issue 11).")

    @model_validator(mode="after")
    def _name_only_for_role(self) -> Candidate:
        if self.name is not None and self.strategy != "role":
            raise ValueError("'name' is only meaningful for the role strategy")
        return self


class Box(_Frozen):
    x: float
    y: float
    width: float
    height: float


class Fingerprint(_Frozen):
    """What the element looked like when it was recorded."""

    tag: str = Field(min_length=1)
    role: str | None = None
    name: str | None = Field(None, description="Accessible name.")
    text: str | None = Field(None, description="Visible text, whitespace-collapsed.")
    attributes: dict[str, str] = Field(
        default_factory=dict,
        description="Stable attributes: id, name, type, href, placeholder, aria-*, data-test*.",
    )
    ancestors: tuple[str, ...] = Field(
        (), description="Nearest-first ancestor summaries such as 'form#login'."
    )
    box: Box | None = None
    # replay safety (issue 11)
    form: str | None = Field(None, description="Method and action path of the element's form: 'post /order'.")
    context: Context | None = Field(None, description="What tells the element's repeated container apart.")
    stale: tuple[FingerprintField, ...] | None = Field(
        None, description="Fields holding data typed while recording: they never verify."
    )


class Target(_Frozen):
    """An element: ranked selector candidates, the frame they live in, and its fingerprint."""

    candidates: tuple[Candidate, ...] = Field(min_length=1)
    frame_path: tuple[str, ...] = Field(
        (), description="CSS selectors of the iframes leading to the element, outermost first."
    )
    fingerprint: Fingerprint | None = None


# --- post-conditions --------------------------------------------------------


class UrlMatches(_Frozen):
    """The page URL matches a glob (Playwright's `**` syntax) or is equal to it."""

    kind: Literal["url"] = "url"
    pattern: str = Field(min_length=1)


class FieldValue(_AcceptsBareLiterals):
    """A form field holds a value. No target means the step's own target."""

    kind: Literal["field_value"] = "field_value"
    target: Target | None = None
    value: Value

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ("value",)


class ElementState(_Frozen):
    kind: Literal["element_state"] = "element_state"
    target: Target | None = None
    state: Literal["visible", "hidden", "checked", "unchecked", "enabled", "disabled"]


class ElementText(_Frozen):
    kind: Literal["element_text"] = "element_text"
    target: Target | None = None
    text: str
    exact: bool = False


Postcondition = Annotated[
    Union[UrlMatches, FieldValue, ElementState, ElementText, RequestMade, DialogShown],
    Field(discriminator="kind"),
]


# --- actions ----------------------------------------------------------------


class GotoAction(_AcceptsBareLiterals):
    kind: Literal["goto"] = "goto"
    url: Value

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ("url",)


class SetViewportAction(_Frozen):
    kind: Literal["set_viewport"] = "set_viewport"
    width: int = Field(gt=0)
    height: int = Field(gt=0)


class ClickAction(_Frozen):
    kind: Literal["click"] = "click"
    target: Target
    button: Literal["left", "right", "middle"] = "left"
    click_count: int = Field(1, ge=1, le=3)
    modifiers: tuple[Literal["Alt", "Control", "Meta", "Shift"], ...] = ()
    opens_page: bool = Field(False, description="The click opens a popup or tab; later steps act there.")


class FillAction(_AcceptsBareLiterals):
    kind: Literal["fill"] = "fill"
    target: Target
    value: Value

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ("value",)


class SelectOptionAction(_AcceptsBareLiterals):
    kind: Literal["select_option"] = "select_option"
    target: Target
    options: tuple[Value, ...] = Field(min_length=1)
    by: Literal["value", "label"] = "label"

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ("options",)


class SetCheckedAction(_Frozen):
    kind: Literal["set_checked"] = "set_checked"
    target: Target
    checked: bool = True


class PressAction(_Frozen):
    """A key press; without a target it goes to whatever has focus."""

    kind: Literal["press"] = "press"
    target: Target | None = None
    key: str = Field(min_length=1)


class HoverAction(_Frozen):
    kind: Literal["hover"] = "hover"
    target: Target


class ScrollAction(_Frozen):
    """Scroll the page by a delta, or bring a target into view."""

    kind: Literal["scroll"] = "scroll"
    target: Target | None = None
    delta_x: int = 0
    delta_y: int = 0


class UploadFileAction(_AcceptsBareLiterals):
    kind: Literal["upload_file"] = "upload_file"
    target: Target
    files: tuple[Value, ...] = Field(min_length=1)

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ("files",)


class DownloadAction(_AcceptsBareLiterals):
    """Click the target and keep the file it downloads."""

    kind: Literal["download"] = "download"
    target: Target
    save_as: Value | None = None

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ("save_as",)


class WaitForAction(_Frozen):
    """Wait for an element state, a URL, or a page expression to become true."""

    kind: Literal["wait_for"] = "wait_for"
    target: Target | None = None
    state: Literal["visible", "hidden", "attached", "detached"] = "visible"
    url: str | None = None
    expression: str | None = Field(None, description="JavaScript evaluated in the page.")
    timeout_ms: int = Field(10_000, gt=0)

    @model_validator(mode="after")
    def _one_condition(self) -> WaitForAction:
        given = [x for x in (self.target, self.url, self.expression) if x is not None]
        if len(given) != 1:
            raise ValueError("wait_for needs exactly one of target, url, expression")
        return self


class Column(_Frozen):
    """A value read from each row, by a CSS selector relative to the row."""

    name: str = Field(min_length=1)
    selector: str = Field(min_length=1)
    attribute: str | None = Field(None, description="Attribute to read; text when absent.")


class ExtractField(_Frozen):
    """One output field: a single element's text/attribute, every match, or table rows."""

    name: str = Field(min_length=1)
    target: Target
    attribute: str | None = None
    many: bool = False
    columns: tuple[Column, ...] = ()

    @model_validator(mode="after")
    def _columns_need_many(self) -> ExtractField:
        if self.columns and not self.many:
            raise ValueError("columns describe rows, so they need many=true")
        return self


class ExtractAction(_Frozen):
    kind: Literal["extract"] = "extract"
    output: str = Field(min_length=1, description="Name of the output this data is stored under.")
    fields: tuple[ExtractField, ...] = Field(min_length=1)
    json_schema: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object"},
        description="JSON Schema the extracted object must satisfy.",
    )


class AssertAction(_Frozen):
    kind: Literal["assert"] = "assert"
    condition: Postcondition

    @model_validator(mode="after")
    def _element_conditions_name_their_element(self) -> AssertAction:
        if isinstance(self.condition, (RequestMade, DialogShown)):
            raise ValueError(  # noqa: TRY004 - pydantic turns a ValueError into a validation error
                "requests and dialogs are what an action caused: they are post-conditions, not asserts"
            )
        if not isinstance(self.condition, UrlMatches) and self.condition.target is None:
            raise ValueError("an assert about an element needs condition.target")
        return self


class CompleteAction(_Frozen):
    kind: Literal["complete"] = "complete"
    summary: str = ""


class TerminateAction(_Frozen):
    kind: Literal["terminate"] = "terminate"
    reason: str = ""


Action = Annotated[
    Union[
        GotoAction,
        SetViewportAction,
        ClickAction,
        FillAction,
        SelectOptionAction,
        SetCheckedAction,
        PressAction,
        HoverAction,
        ScrollAction,
        UploadFileAction,
        DownloadAction,
        WaitForAction,
        ExtractAction,
        AssertAction,
        CompleteAction,
        TerminateAction,
    ],
    Field(discriminator="kind"),
]


# --- structure --------------------------------------------------------------


class Parameter(_Frozen):
    name: str
    type: Literal["string", "integer", "number", "boolean"] = "string"
    description: str = ""
    secret: bool = False
    default: str | int | float | bool | None = None

    @field_validator("name")
    @classmethod
    def _python_identifier(cls, name: str) -> str:
        if not _IDENTIFIER.match(name) or keyword.iskeyword(name):
            raise ValueError(f"parameter name {name!r} must be a Python identifier")
        return name

    @model_validator(mode="after")
    def _secret_has_no_default(self) -> Parameter:
        if self.secret and self.default is not None:
            raise ValueError("a secret parameter cannot have a default: it would be stored")
        return self


class Step(_Frozen):
    id: str
    action: Action
    intention: str = Field(description="Why this step: the code comment and the re-resolution prompt.")
    url_before: str | None = None
    url_after: str | None = None
    postconditions: tuple[Postcondition, ...] = ()

    @field_validator("id")
    @classmethod
    def _short_id(cls, value: str) -> str:
        if not _STEP_ID.match(value):
            raise ValueError("step id must be 1-64 of letters, digits, '_', '.', '-'")
        return value


class Block(_Frozen):
    label: str = Field(min_length=1)
    kind: Literal["task", "navigation", "action", "extraction", "login"] = "task"
    steps: tuple[Step, ...] = Field(min_length=1)


class Trace(_Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    id: str = Field(min_length=1)
    title: str = ""
    start_url: str = Field(min_length=1)
    parameters: tuple[Parameter, ...] = ()
    blocks: tuple[Block, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> Trace:
        _check_unique("parameter name", [p.name for p in self.parameters])
        _check_unique("block label", [b.label for b in self.blocks])
        _check_unique("step id", [s.id for b in self.blocks for s in b.steps])
        declared = {p.name: p for p in self.parameters}
        for block in self.blocks:
            for step in block.steps:
                for ref in _references(step):
                    _check_reference(ref, declared, step.id)
        return self

    def steps(self) -> list[Step]:
        return [step for block in self.blocks for step in block.steps]


def _check_unique(what: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"duplicate {what} {name!r}")
        seen.add(name)


def _check_reference(
    ref: ParamRef | SecretRef, declared: dict[str, Parameter], step_id: str
) -> None:
    param = declared.get(ref.name)
    if param is None:
        raise ValueError(f"step {step_id!r} refers to undeclared parameter {ref.name!r}")
    if isinstance(ref, SecretRef) and not param.secret:
        raise ValueError(f"step {step_id!r}: {ref.name!r} is used as a secret but not declared secret")
    if isinstance(ref, ParamRef) and param.secret:
        raise ValueError(f"step {step_id!r}: secret {ref.name!r} must be referenced as a secret")


def _references(model: BaseModel) -> list[ParamRef | SecretRef]:
    found: list[ParamRef | SecretRef] = []

    def walk(item: Any) -> None:
        if isinstance(item, (ParamRef, SecretRef)):
            found.append(item)
        elif isinstance(item, BaseModel):
            for name in type(item).model_fields:
                walk(getattr(item, name))
        elif isinstance(item, (tuple, list)):
            for sub in item:
                walk(sub)

    walk(model)
    return found
