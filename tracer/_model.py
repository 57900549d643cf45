"""Trace IR: the typed, frozen record of what a browser run did and why."""

from __future__ import annotations

import keyword
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "DEVTOOLS_ACTIONS",
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
    "DevtoolsChangeAction",
    "DevtoolsClickAction",
    "DevtoolsCloseAction",
    "DevtoolsElement",
    "DevtoolsHoverAction",
    "DevtoolsKeyAction",
    "DevtoolsNavigateAction",
    "DevtoolsNavigation",
    "DevtoolsNetworkAction",
    "DevtoolsScrollAction",
    "DevtoolsSetViewportAction",
    "DevtoolsWaitForElementAction",
    "DevtoolsWaitForExpressionAction",
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
    "Ref",
    "RequestMade",
    "Scope",
    "ScrollAction",
    "SecretRef",
    "SelectOptionAction",
    "SetCheckedAction",
    "SetViewportAction",
    "Step",
    "Target",
    "Template",
    "TerminateAction",
    "Trace",
    "UploadFileAction",
    "UrlMatches",
    "Value",
    "WaitForAction",
    "unsafe_parameter_name",
]

SCHEMA_VERSION = 1
"""The trace format version this code reads and writes."""

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
    LiteralValue | ParamRef | SecretRef, Field(discriminator="kind")
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


# --- generalisation (issue 12): recorded strings as templates over run data ------------------
# A string the recorder stored (a candidate's name, a fingerprint field, an expected text, a URL)
# may hold data of the run: a parameter's value, or a value the run created (a record id). Such a
# string keeps its recorded form and gains a `Template` in which those parts are references, so a
# replay with other data looks for this run's values instead of the recording's.


class Ref(_Frozen):
    """A run-dependent part of a template."""

    kind: Literal["param", "var", "capture", "number", "any"] = Field(
        description="param: a declared parameter's value; var: a run variable captured earlier;"
        " capture: (URLs) an id-like token, stored as the run variable `name`;"
        " number: any whole number (a counter); any: (URLs) anything within one path segment or value."
    )
    name: str | None = None

    @model_validator(mode="after")
    def _named_when_it_refers(self) -> Ref:
        if self.kind in ("param", "var", "capture"):
            if self.name is None or not _IDENTIFIER.match(self.name) or keyword.iskeyword(self.name):
                raise ValueError(f"a {self.kind} reference needs a Python identifier as its name")
            if self.name.startswith("_"):
                raise ValueError("a reference name cannot start with '_'")
        elif self.name is not None:
            raise ValueError(f"a {self.kind} part has no name")
        return self


class Template(_Frozen):
    """A recorded string as literal text and references, in order."""

    parts: tuple[str | Ref, ...] = Field(min_length=1)

    def refs(self) -> list[Ref]:
        """The parameter and variable references in this template, in order."""
        return [p for p in self.parts if isinstance(p, Ref)]

    def render(self, params: dict[str, str], variables: dict[str, str]) -> str | None:
        """The string with its references filled in; None when a part has no single value (a wildcard,
        a capture, or a value not given)."""
        out = []
        for part in self.parts:
            source = params if isinstance(part, Ref) and part.kind == "param" else variables
            if isinstance(part, str):
                out.append(part)
            elif part.kind in ("param", "var") and part.name in source:
                out.append(source[part.name])
            else:
                return None
        return "".join(out)


# --- replay safety (issue 11): additive models; every new field defaults to "not recorded" ---


class Scope(_Frozen):
    """The repeated container (table row, list item, card) a candidate looks inside, told apart by its text."""

    strategy: Literal["role", "css"]
    value: str = Field(min_length=1, description="The container's role (row, listitem) or a CSS selector.")
    has_text: str = Field(
        min_length=1, description="Text only this container holds among its siblings (a plain string)."
    )
    template: Template | None = Field(  # issue 12 over issue 11: the text with run data as references
        None, description="`has_text` with run data (a parameter, a record id) as references."
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
    template: Template | None = Field(  # issue 12 over issue 11
        None, description="The message with run data as references (a check-mode template)."
    )


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
    template: Template | None = Field(  # issue 12
        None, description="The value (the name, for role) with run data as references."
    )

    @model_validator(mode="after")
    def _name_only_for_role(self) -> Candidate:
        if self.name is not None and self.strategy != "role":
            raise ValueError("'name' is only meaningful for the role strategy")
        return self


class Box(_Frozen):
    """Where the element was on the page when recorded (pixels; informative only)."""

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
    templates: dict[str, Template] | None = Field(  # issue 12
        None,
        description="Fields holding run data: 'name', 'text', 'context' (its text) or 'attributes.<name>' -> its template.",
    )


class Target(_Frozen):
    """An element: ranked selector candidates, the frame they live in, and its fingerprint."""

    candidates: tuple[Candidate, ...] = Field(min_length=1)
    frame_path: tuple[str, ...] = Field(
        (), description="CSS selectors of the iframes leading to the element, outermost first."
    )
    fingerprint: Fingerprint | None = None
    appear_ms: int | None = Field(  # issue 12
        None, ge=0, description="When recorded, how long after the step could start the element appeared."
    )


# --- post-conditions --------------------------------------------------------


class UrlMatches(_Frozen):
    """The page URL matches a glob (Playwright's `**` syntax) or is equal to it."""

    kind: Literal["url"] = "url"
    pattern: str = Field(min_length=1)
    template: Template | None = Field(  # issue 12
        None, description="The URL with ids, parameters and captures as references; preferred over `pattern`."
    )


class FieldValue(_AcceptsBareLiterals):
    """A form field holds a value. No target means the step's own target."""

    kind: Literal["field_value"] = "field_value"
    target: Target | None = None
    value: Value
    by: Literal["label"] | None = Field(  # issue 12
        None, description="'label': (a list) compare the chosen option's label; otherwise the field's value."
    )

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ("value",)


class ElementState(_Frozen):
    """An element is visible, hidden, checked, unchecked, enabled or disabled."""

    kind: Literal["element_state"] = "element_state"
    target: Target | None = None
    state: Literal["visible", "hidden", "checked", "unchecked", "enabled", "disabled"]


class ElementText(_Frozen):
    """An element shows a text (contains it, or is exactly it)."""

    kind: Literal["element_text"] = "element_text"
    target: Target | None = None
    # Issue 14 (users' experience): the text may be a run-time parameter (widened from `str`; old traces load).
    text: str | ParamRef
    exact: bool = False
    template: Template | None = None  # issue 12: the text with run data as references


Postcondition = Annotated[
    UrlMatches | FieldValue | ElementState | ElementText | RequestMade | DialogShown,
    Field(discriminator="kind"),
]
"""Any post-condition, discriminated by `kind`."""


# --- actions ----------------------------------------------------------------


class GotoAction(_AcceptsBareLiterals):
    """Open a URL (a literal or a parameter)."""

    kind: Literal["goto"] = "goto"
    url: Value
    template: Template | None = None  # issue 12: a literal URL with run data as references

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ("url",)


class SetViewportAction(_Frozen):
    """Resize the viewport."""

    kind: Literal["set_viewport"] = "set_viewport"
    width: int = Field(gt=0)
    height: int = Field(gt=0)


class ClickAction(_Frozen):
    """Click an element (button, count, modifiers); `opens_page` when it opens a tab."""

    kind: Literal["click"] = "click"
    target: Target
    button: Literal["left", "right", "middle"] = "left"
    click_count: int = Field(1, ge=1, le=3)
    modifiers: tuple[Literal["Alt", "Control", "Meta", "Shift"], ...] = ()
    opens_page: bool = Field(False, description="The click opens a popup or tab; later steps act there.")


class FillAction(_AcceptsBareLiterals):
    """Type a value (literal, parameter or secret) into a field."""

    kind: Literal["fill"] = "fill"
    target: Target
    value: Value

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ("value",)


class SelectOptionAction(_AcceptsBareLiterals):
    """Choose options of a list, by label or by value."""

    kind: Literal["select_option"] = "select_option"
    target: Target
    options: tuple[Value, ...] = Field(min_length=1)
    by: Literal["value", "label"] = "label"

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ("options",)


class SetCheckedAction(_Frozen):
    """Check or uncheck a checkbox or radio button."""

    kind: Literal["set_checked"] = "set_checked"
    target: Target
    checked: bool = True


class PressAction(_Frozen):
    """A key press; without a target it goes to whatever has focus."""

    kind: Literal["press"] = "press"
    target: Target | None = None
    key: str = Field(min_length=1)


class HoverAction(_Frozen):
    """Move the mouse over an element."""

    kind: Literal["hover"] = "hover"
    target: Target


class ScrollAction(_Frozen):
    """Scroll the page by a delta, or bring a target into view."""

    kind: Literal["scroll"] = "scroll"
    target: Target | None = None
    delta_x: int = 0
    delta_y: int = 0


class UploadFileAction(_AcceptsBareLiterals):
    """Upload files through an input or the file chooser a button opens."""

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
    """Read fields off the page into a named output that must fit a JSON schema."""

    kind: Literal["extract"] = "extract"
    output: str = Field(min_length=1, description="Name of the output this data is stored under.")
    fields: tuple[ExtractField, ...] = Field(min_length=1)
    json_schema: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object"},
        description="JSON Schema the extracted object must satisfy.",
    )


class AssertAction(_Frozen):
    """Check a condition (URL, text, value or state) without acting."""

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
    """The task is done."""

    kind: Literal["complete"] = "complete"
    summary: str = ""


class TerminateAction(_Frozen):
    """The task cannot be done here; the run ends unsuccessfully by design."""

    kind: Literal["terminate"] = "terminate"
    reason: str = ""


# --- DevTools Recorder steps (issue 13) --------------------------------------
# A step imported from a Chrome DevTools Recorder / @puppeteer/replay recording keeps that format's own
# semantics instead of being approximated by the actions above: its selectors are raced the way the
# @puppeteer/replay runner races them, frames are child-frame indexes, pages are named by URL, scrolls
# are absolute, keys stay held between keyDown and keyUp. The runtime's `steps.devtools` replays them.


class DevtoolsElement(_Frozen):
    """An element as a DevTools recording names it: alternative selectors, each a list of parts."""

    selectors: tuple[tuple[str, ...], ...] = Field(
        min_length=1,
        description="Alternatives; the parts of one descend into shadow roots (aria/, text/, xpath/, pierce/ or CSS).",
    )
    fingerprint: Fingerprint | None = Field(None, description="Recorded on the first verified replay.")

    @field_validator("selectors")
    @classmethod
    def _parts_present(cls, value: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        if any(not parts or not all(parts) for parts in value):
            raise ValueError("every selector needs at least one non-empty part")
        return value


class DevtoolsNavigation(_Frozen):
    """An asserted navigation: the step must make its frame navigate (to this URL's path, when known)."""

    url: str | None = None


class _DevtoolsStep(_Frozen):
    page_url: str | None = Field(
        None, description="The popup or out-of-process frame the step runs in, by URL; None: the main page."
    )
    timeout_ms: int = Field(5000, ge=1, le=30_000, description="The step's, else the recording's, else 5000.")
    navigation: DevtoolsNavigation | None = None


class _DevtoolsFrameStep(_DevtoolsStep):
    frame: tuple[int, ...] = Field((), description="Child-frame indexes from the page's (or frame's) main frame.")

    @field_validator("frame")
    @classmethod
    def _indexes(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(i < 0 for i in value):
            raise ValueError("frame indexes are >= 0")
        return value


class DevtoolsClickAction(_DevtoolsFrameStep):
    """`click` (count 1) or `doubleClick` (count 2) at an offset from the element's top-left corner."""

    kind: Literal["devtools_click"] = "devtools_click"
    element: DevtoolsElement
    count: Literal[1, 2] = 1
    button: Literal["primary", "auxiliary", "secondary", "back", "forward"] = "primary"
    offset_x: float | None = None
    offset_y: float | None = None
    duration_ms: float | None = Field(None, ge=0, description="Between the last press and its release.")

    @model_validator(mode="after")
    def _both_offsets(self) -> DevtoolsClickAction:
        if (self.offset_x is None) != (self.offset_y is None):
            raise ValueError("give both offset_x and offset_y, or neither (the element's centre)")
        return self


class DevtoolsHoverAction(_DevtoolsFrameStep):
    """A DevTools `hover` step: the pointer moved over the element."""

    kind: Literal["devtools_hover"] = "devtools_hover"
    element: DevtoolsElement


class DevtoolsChangeAction(_DevtoolsFrameStep, _AcceptsBareLiterals):
    """Fill the element the way @puppeteer/replay's `change` does (typed, selected, toggled or set)."""

    kind: Literal["devtools_change"] = "devtools_change"
    element: DevtoolsElement
    value: Value

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ("value",)


class DevtoolsKeyAction(_DevtoolsStep):
    """`keyDown` or `keyUp` on the main page's keyboard; a key stays held until its keyUp."""

    kind: Literal["devtools_key"] = "devtools_key"
    key: str = Field(min_length=1)
    event: Literal["down", "up"]


class DevtoolsScrollAction(_DevtoolsFrameStep):
    """Scroll an element (scrollLeft/scrollTop) or the frame's window to an absolute position."""

    kind: Literal["devtools_scroll"] = "devtools_scroll"
    element: DevtoolsElement | None = None
    x: float = 0
    y: float = 0


class DevtoolsWaitForElementAction(_DevtoolsFrameStep):
    """Wait until (matches `operator` count, and all match properties/attributes) equals `visible`."""

    kind: Literal["devtools_wait_for_element"] = "devtools_wait_for_element"
    element: DevtoolsElement
    count: int = Field(1, ge=0)
    operator: Literal[">=", "==", "<="] = ">="
    visible: bool = True
    properties: dict[str, Any] | None = None
    attributes: dict[str, str] | None = None


class DevtoolsWaitForExpressionAction(_DevtoolsFrameStep):
    """A DevTools `waitForExpression` step: wait until the expression is truthy in the frame."""

    kind: Literal["devtools_wait_for_expression"] = "devtools_wait_for_expression"
    expression: str = Field(min_length=1, description="JavaScript evaluated in the frame until truthy.")


class DevtoolsNavigateAction(_DevtoolsStep, _AcceptsBareLiterals):
    """A DevTools `navigate` step: open a URL in the step's page."""

    kind: Literal["devtools_navigate"] = "devtools_navigate"
    url: Value

    @classmethod
    def _value_fields(cls) -> tuple[str, ...]:
        return ("url",)


class DevtoolsSetViewportAction(_DevtoolsStep):
    """A DevTools `setViewport` step: size, scale and mobile/touch/landscape emulation."""

    kind: Literal["devtools_set_viewport"] = "devtools_set_viewport"
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    device_scale_factor: float = Field(1, gt=0)
    is_mobile: bool = False
    has_touch: bool = False
    is_landscape: bool = False


class DevtoolsCloseAction(_DevtoolsStep):
    """A DevTools `close` step: close the step's page."""

    kind: Literal["devtools_close"] = "devtools_close"


class DevtoolsNetworkAction(_DevtoolsStep):
    """`emulateNetworkConditions`: throughput in bytes/s (-1 unthrottled; both 0 means offline), latency in ms."""

    kind: Literal["devtools_network"] = "devtools_network"
    download: float
    upload: float
    latency: float = Field(ge=0)


DEVTOOLS_ACTIONS = (
    DevtoolsClickAction,
    DevtoolsHoverAction,
    DevtoolsChangeAction,
    DevtoolsKeyAction,
    DevtoolsScrollAction,
    DevtoolsWaitForElementAction,
    DevtoolsWaitForExpressionAction,
    DevtoolsNavigateAction,
    DevtoolsSetViewportAction,
    DevtoolsCloseAction,
    DevtoolsNetworkAction,
)
"""Every DevTools action kind, for the emitters and the runtime to dispatch on."""


Action = Annotated[
    (
        GotoAction
        | SetViewportAction
        | ClickAction
        | FillAction
        | SelectOptionAction
        | SetCheckedAction
        | PressAction
        | HoverAction
        | ScrollAction
        | UploadFileAction
        | DownloadAction
        | WaitForAction
        | ExtractAction
        | AssertAction
        | CompleteAction
        | TerminateAction
        # DevTools Recorder steps (issue 13)
        | DevtoolsClickAction
        | DevtoolsHoverAction
        | DevtoolsChangeAction
        | DevtoolsKeyAction
        | DevtoolsScrollAction
        | DevtoolsWaitForElementAction
        | DevtoolsWaitForExpressionAction
        | DevtoolsNavigateAction
        | DevtoolsSetViewportAction
        | DevtoolsCloseAction
        | DevtoolsNetworkAction
    ),
    Field(discriminator="kind"),
]
"""Any step action, discriminated by `kind`."""


# --- structure --------------------------------------------------------------


class Parameter(_Frozen):
    """A run-time input the trace declares: its name, type, default, and whether it is secret."""

    name: str
    type: Literal["string", "integer", "number", "boolean", "file"] = "string"
    description: str = ""
    secret: bool = False
    default: str | int | float | bool | None = None
    # --- security (issue 10): additive, with defaults --------------------------------------------
    origins: tuple[str, ...] = Field(
        (),
        description="For a secret: the origins (scheme://host:port) it was typed on when recorded, or may be"
        " typed on; filling it anywhere else is a divergence. Empty: the trace's start URL's origin.",
    )

    @field_validator("name")
    @classmethod
    def _python_identifier(cls, name: str) -> str:
        problem = unsafe_parameter_name(name)
        if problem:
            raise ValueError(f"parameter name {name!r} {problem}")
        return name

    @field_validator("origins")
    @classmethod
    def _origins_are_origins(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        for origin in origins:
            if not _ORIGIN.match(origin):
                raise ValueError(f"{origin!r} is not an origin such as 'https://example.com' or 'http://127.0.0.1:8765'")
        return origins

    @model_validator(mode="after")
    def _secret_has_no_default(self) -> Parameter:
        if self.secret and self.default is not None:
            raise ValueError("a secret parameter cannot have a default: it would be stored")
        if self.type == "file" and self.default is not None:
            raise ValueError("a file parameter cannot have a default: files to upload are given at run time")
        if self.origins and not self.secret:
            raise ValueError("origins bind a secret to its sites; this parameter is not secret")
        return self


# Names the generated `Params` class (a pydantic model) cannot take as fields: its own attributes, and
# the names its annotations and defaults use (a field named `str` with a default rebinds `str`).
_RESERVED_NAMES = frozenset(dir(BaseModel)) | {"str", "int", "float", "bool", "Path", "SecretStr", "Field", "ConfigDict"}
_ORIGIN = re.compile(r"^[a-z][a-z0-9+.-]*://[^/?#\s]+$")


def unsafe_parameter_name(name: str) -> str | None:
    """Why `name` cannot name a parameter (a field of the generated `Params` model), or None."""
    if not _IDENTIFIER.match(name) or keyword.iskeyword(name):
        return "must be a Python identifier"
    if name.startswith("_"):
        return "must not start with '_' (pydantic ignores such fields: the value would be lost)"
    if name.startswith("model_") or name in _RESERVED_NAMES:
        return "clashes with an attribute of the generated Params model; choose another name"
    return None


class Step(_Frozen):
    """One recorded action with its intention, the URLs around it, and what held afterwards."""

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
    """A labelled run of steps: a workflow caches and heals each block on its own."""

    label: str = Field(min_length=1)
    kind: Literal["task", "navigation", "action", "extraction", "login"] = "task"
    steps: tuple[Step, ...] = Field(min_length=1)


class Trace(_Frozen):
    """A recorded browser run: parameters and blocks of steps; the input of codegen."""

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
        captured: set[str] = set()
        for block in self.blocks:
            for step in block.steps:
                for ref in _references(step):
                    _check_reference(ref, declared, step.id)
                _check_template_refs(step, declared, captured)
        return self

    def steps(self) -> list[Step]:
        """Every step of every block, in order."""
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


def _check_template_refs(step: Step, declared: dict[str, Parameter], captured: set[str]) -> None:
    """Template parameters are declared and not secret; a run variable is used only after a capture."""
    refs: list[Ref] = []

    def walk(item: Any) -> None:
        if isinstance(item, Ref):
            refs.append(item)
        elif isinstance(item, BaseModel):
            for name in type(item).model_fields:
                walk(getattr(item, name))
        elif isinstance(item, (tuple, list)):
            for sub in item:
                walk(sub)
        elif isinstance(item, dict):
            for sub in item.values():
                walk(sub)

    walk(step)
    # A step may refer to what its own post-conditions capture: its target's fingerprint names the id
    # the click reveals (replay leaves such a field out until the id is known).
    captured.update(r.name for r in refs if r.kind == "capture" and r.name)
    for ref in refs:
        if ref.kind == "param":
            param = declared.get(ref.name or "")
            if param is None:
                raise ValueError(f"step {step.id!r}: a template refers to undeclared parameter {ref.name!r}")
            if param.secret:
                raise ValueError(f"step {step.id!r}: a template cannot hold secret {ref.name!r}")
        elif ref.kind == "var" and ref.name not in captured:
            raise ValueError(f"step {step.id!r}: run variable {ref.name!r} is used before a step captures it")


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
