"""What the model answers: one action per step, referring to elements by their number on the page.

These are the response models instructor validates. The validators take the current observation as
pydantic validation context, so an element number that is not on the page, an undeclared parameter or
an extraction that misses a required field is a validation error the model sees and corrects.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

__all__ = [
    "Answer",
    "Click",
    "Complete",
    "Decision",
    "Download",
    "Extract",
    "ExtractedField",
    "Fill",
    "Goto",
    "Hover",
    "LocateAnswer",
    "Press",
    "Scroll",
    "SelectOption",
    "SetChecked",
    "Terminate",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Click(_Strict):
    """Click an element (a link, a button, a tab, a menu entry)."""

    kind: Literal["click"]
    element: int = Field(description="Number of the element to click.")
    double: bool = Field(False, description="Double-click instead of a single click.")


class Fill(_Strict):
    """Type into a text field (replacing its content): either literal `text` or the value of a `parameter`."""

    kind: Literal["fill"]
    element: int
    text: str | None = None
    parameter: str | None = Field(None, description="Name of a task parameter whose value is typed.")


class SelectOption(_Strict):
    """Choose an option of a <select> by its visible label, or the value of a `parameter`."""

    kind: Literal["select_option"]
    element: int
    option: str | None = None
    parameter: str | None = None


class SetChecked(_Strict):
    """Check or uncheck a checkbox, or pick a radio button."""

    kind: Literal["set_checked"]
    element: int
    checked: bool = True


class Press(_Strict):
    """Press a key (Playwright key names: Enter, Tab, Escape, ArrowDown, Control+A), in an element or the page."""

    kind: Literal["press"]
    key: str = Field(min_length=1)
    element: int | None = None


class Hover(_Strict):
    """Move the mouse over an element, e.g. to open a menu."""

    kind: Literal["hover"]
    element: int


class Scroll(_Strict):
    """Scroll the page by one screen, or bring an element into view."""

    kind: Literal["scroll"]
    direction: Literal["down", "up"] = "down"
    element: int | None = None


class Goto(_Strict):
    """Open a URL: a literal `url` or a `parameter` holding one."""

    kind: Literal["goto"]
    url: str | None = None
    parameter: str | None = None


class Download(_Strict):
    """Click an element that starts a file download."""

    kind: Literal["download"]
    element: int


class ExtractedField(_Strict):
    name: str = Field(min_length=1, description="Field name, as in the output schema.")
    element: int = Field(description="Number of the element holding the value (with `many`, one of the rows).")
    many: bool = Field(False, description="The value is a list: every element shaped like this one.")
    columns: dict[str, int] = Field(
        default_factory=dict,
        description="For a list of records: column name -> number of the cell inside the chosen row.",
    )
    attribute: str | None = Field(None, description="Read this attribute (e.g. href) instead of the text.")
    value: Any = Field(None, description="The value as you read it, to be checked against the page.")


class Extract(_Strict):
    """Read data from the page into a named output; every value is taken from the elements you point at."""

    kind: Literal["extract"]
    output: str = Field(min_length=1)
    fields: list[ExtractedField] = Field(min_length=1)


class Complete(_Strict):
    """The goal is reached."""

    kind: Literal["complete"]
    summary: str = ""


class Terminate(_Strict):
    """The goal cannot be reached (say why): a missing permission, an error page, a contradiction."""

    kind: Literal["terminate"]
    reason: str = Field(min_length=1)


Action = Annotated[
    Click | Fill | SelectOption | SetChecked | Press | Hover | Scroll | Goto | Download | Extract | Complete | Terminate,
    Field(discriminator="kind"),
]

_ELEMENT_ACTIONS = (Click, Fill, SelectOption, SetChecked, Hover, Download)


class Decision(_Strict):
    """The next step towards the goal."""

    thought: str = Field("", description="A short note on what the page shows and what is left to do.")
    intention: str = Field(min_length=3, description="What this step does and why, e.g. 'Submit the login form'.")
    action: Action

    @field_validator("intention")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return " ".join(value.split())

    @model_validator(mode="after")
    def _fits_the_page(self, info: ValidationInfo) -> Decision:
        context = info.context or {}
        numbers: set[int] = context.get("elements", set())
        parameters: dict[str, bool] = context.get("parameters", {})
        action = self.action
        if isinstance(action, _ELEMENT_ACTIONS) or (isinstance(action, (Press, Scroll)) and action.element is not None):
            _check_element(action.element, numbers)  # type: ignore[arg-type]
        if isinstance(action, (Fill, SelectOption, Goto)):
            given = [x for x in (getattr(action, {Fill: "text", SelectOption: "option", Goto: "url"}[type(action)]), action.parameter) if x is not None]
            if len(given) != 1:
                raise ValueError(f"{action.kind}: give exactly one of a literal value or `parameter`")
            if action.parameter is not None:
                if action.parameter not in parameters:
                    known = ", ".join(sorted(parameters)) or "none"
                    raise ValueError(f"unknown parameter {action.parameter!r}; the task's parameters are: {known}")
                if parameters[action.parameter] and not isinstance(action, Fill):
                    raise ValueError(f"secret parameter {action.parameter!r} can only be typed into a field (fill)")
        if isinstance(action, Extract):
            _check_extract(action, numbers, context.get("outputs", {}))
        return self


def _check_element(number: int, numbers: set[int]) -> None:
    if number not in numbers:
        span = f"1..{max(numbers)}" if numbers else "none"
        raise ValueError(f"element [{number}] does not exist; the page lists elements {span}")


def _check_extract(action: Extract, numbers: set[int], outputs: dict[str, dict[str, Any]]) -> None:
    for item in action.fields:
        _check_element(item.element, numbers)
        for column, number in item.columns.items():
            _check_element(number, numbers)
            if not item.many:
                raise ValueError(f"field {item.name!r}: columns ({column!r}) need many=true")
    if not outputs:
        return
    if action.output not in outputs:
        raise ValueError(f"unknown output {action.output!r}; the task asks for: {', '.join(sorted(outputs))}")
    schema = outputs[action.output]
    names = {item.name for item in action.fields}
    missing = [name for name in schema.get("required", []) if name not in names]
    if missing:
        raise ValueError(f"output {action.output!r} requires the fields {missing}")
    properties = schema.get("properties")
    if isinstance(properties, dict) and schema.get("additionalProperties") is False:
        extra = sorted(names - set(properties))
        if extra:
            raise ValueError(f"output {action.output!r} has no fields {extra}")


class LocateAnswer(_Strict):
    """Which element on the current page is the one a recorded step acted on (null when none is)."""

    element: int | None = Field(description="The element's number, or null when no element plausibly matches.")
    confidence: float = Field(ge=0, le=1)
    reason: str = ""

    @model_validator(mode="after")
    def _on_the_page(self, info: ValidationInfo) -> LocateAnswer:
        if self.element is not None:
            _check_element(self.element, (info.context or {}).get("elements", set()))
        return self


class Answer(_Strict):
    """A yes/no answer to a question about the current page."""

    answer: bool
    reason: str = ""
