"""The recorder: performs actions on a live Playwright page and appends each as a traced Step."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from playwright.async_api import BrowserContext, ElementHandle, Frame, FrameLocator, Locator, Page
from playwright.async_api import Error as PlaywrightError
from pydantic import BaseModel

from ._candidates import lean, propose, rank_unique, with_classes
from ._data import RunData, has_wildcards
from ._effects import Effects
from ._files import write_trace
from ._generalise import after_capture, generalise_candidates, generalise_fingerprint
from ._locator import locator_for
from ._model import (
    AssertAction,
    Block,
    Candidate,
    ClickAction,
    Column,
    CompleteAction,
    DownloadAction,
    ElementState,
    ElementText,
    ExtractAction,
    ExtractField,
    FieldValue,
    FillAction,
    Fingerprint,
    GotoAction,
    HoverAction,
    LiteralValue,
    Parameter,
    ParamRef,
    Postcondition,
    PressAction,
    Ref,
    ScrollAction,
    SecretRef,
    SelectOptionAction,
    SetCheckedAction,
    Step,
    Target,
    Trace,
    UploadFileAction,
    UrlMatches,
)
from ._origins import origin_of
from ._reading import coerce, read_values
from ._redact_trace import redact_trace
from ._scripts import page_script
from ._stale import StaleData
from ._urls import url_template

__all__ = ["Recorder", "RecorderError", "param", "record_target", "secret"]

Element = Locator | ElementHandle
Text = str | ParamRef | SecretRef


def param(name: str) -> ParamRef:
    """A run-time parameter: its value is typed now, its name is what the trace keeps."""
    return ParamRef(name=name)


def secret(name: str) -> SecretRef:
    """A secret parameter: typed into the page, never written to the trace, a log or an error."""
    return SecretRef(name=name)


class RecorderError(RuntimeError):
    """An action could not be recorded; the message never contains a secret's value."""


class Recorder:
    """Wraps a Playwright page; every method acts on the page and records a Step."""

    def __init__(
        self,
        page: Page,
        *,
        trace_id: str,
        title: str = "",
        params: dict[str, str | int | float | bool] | None = None,
        secrets: dict[str, str] | None = None,
        block: str = "task",
        block_kind: Literal["task", "navigation", "action", "extraction", "login"] = "task",
    ) -> None:
        self.page = page
        self.trace_id = trace_id
        self.title = title
        self._params = dict(params or {})
        self._secrets = dict(secrets or {})
        # What this run typed or was given: text holding it that no template stands for is
        # recording-time data (see _stale.py).
        self._stale = StaleData(self._params.values())
        for value in self._secrets.values():
            self._stale.add(value, secret=True)
        self._used: dict[str, Parameter] = {}
        self._blocks: list[tuple[str, str, list[Step]]] = [(block, block_kind, [])]
        self._start_url: str | None = None
        self._count = 0
        # Issue 12: the run's data, so that stored strings holding it become templates.
        self.data = RunData.of(self._params)
        self._appear_contexts: set[BrowserContext] = set()

    # --- structure ------------------------------------------------------------

    def block(self, label: str, kind: Literal["task", "navigation", "action", "extraction", "login"] = "task") -> None:
        """Start a new block; the steps that follow belong to it."""
        if self._blocks and not self._blocks[-1][2]:
            self._blocks.pop()
        self._blocks.append((label, kind, []))

    def undo(self) -> Step:
        """Drop the last recorded step (the page is not rolled back): for a step found wrong after the fact."""
        steps = self._blocks[-1][2]
        if not steps:
            raise RecorderError("nothing to undo in the current block")
        return steps.pop()

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step recorded so far, in order."""
        return tuple(step for _, _, steps in self._blocks for step in steps)

    def trace(self) -> Trace:
        """The trace recorded so far (RecorderError when nothing was)."""
        blocks = [Block(label=label, kind=kind, steps=tuple(steps)) for label, kind, steps in self._blocks if steps]  # type: ignore[arg-type]
        if not blocks:
            raise RecorderError("nothing was recorded")
        trace = Trace(
            id=self.trace_id,
            title=self.title,
            start_url=self._start_url or self.page.url,
            parameters=tuple(self._used[name] for name in sorted(self._used)),
            blocks=tuple(blocks),
        )
        return redact_trace(trace, self._secrets)  # a GET form puts a secret in the URL; a page may echo it

    def save(self, path: str | Path) -> Trace:
        """Write the trace atomically; returns it."""
        trace = self.trace()
        write_trace(trace, path)
        return trace

    # --- actions --------------------------------------------------------------

    async def goto(self, url: str | ParamRef, intention: str) -> None:
        """Open `url` (a literal, or `param(name)`)."""
        address = self._resolve(url)
        before = self.page.url
        if self._start_url is None:
            self._start_url = address
        await self._watch_appearances()
        await self.page.goto(address, wait_until="load")
        template = None
        if isinstance(url, str):
            found = url_template(url, self.data, capture=False)
            template = found if found.refs() else None
        self._append(GotoAction(url=self._value(url), template=template), intention, before, ())

    async def click(
        self,
        target: Element,
        intention: str,
        *,
        button: Literal["left", "right", "middle"] = "left",
        click_count: int = 1,
        modifiers: tuple[Literal["Alt", "Control", "Meta", "Shift"], ...] = (),
    ) -> None:
        """Click the element; a URL it leads to, a tab it opens or an element it shows is recorded too."""
        handle, recorded = await self._target(target)
        before = self.page.url
        async with self._effects(handle) as effects:
            await handle.click(button=button, click_count=click_count, modifiers=list(modifiers) or None)
            await effects.settle()
        if effects.opened:
            # Later steps happen in the new tab, as they will on replay.
            self.page = effects.opened[0]
            await self.page.wait_for_load_state("load")
        post = await effects.postconditions(handle)
        action = ClickAction(
            target=recorded, button=button, click_count=click_count, modifiers=modifiers, opens_page=bool(effects.opened)
        )
        self._append(action, intention, before, post)

    async def fill(self, target: Element, value: Text, intention: str) -> None:
        """Type `value` (a literal, `param(name)` or `secret(name)`) into the field."""
        handle, recorded = await self._target(target)
        before = self.page.url
        typed = self._resolve(value)
        await handle.fill(typed)
        self._stale.add(typed, secret=isinstance(value, SecretRef))
        stored = self._value(value)
        if isinstance(value, SecretRef):
            await self._bind_origin(value.name, handle)
        self._append(FillAction(target=recorded, value=stored), intention, before, (FieldValue(value=stored),))

    async def select_option(
        self, target: Element, options: Text | list[Text], intention: str, *, by: Literal["value", "label"] = "label"
    ) -> None:
        """Choose one option (a string) or several (a list), by label or by value, as Playwright does."""
        options = list(options) if isinstance(options, (list, tuple)) else [options]
        handle, recorded = await self._target(target)
        before = self.page.url
        wanted = [self._resolve(o) for o in options]
        chosen = await handle.select_option(**({"value": wanted} if by == "value" else {"label": wanted}))
        post: tuple[Postcondition, ...] = ()
        if len(chosen) == 1:
            # Chosen by label: the label is what must hold; the option's value is often a database key.
            if by == "label" and len(options) == 1:
                post = (FieldValue(value=self._value(options[0]), by="label"),)
            else:
                post = (FieldValue(value=LiteralValue(value=chosen[0])),)
        action = SelectOptionAction(target=recorded, options=tuple(self._value(o) for o in options), by=by)
        self._append(action, intention, before, post)

    async def set_checked(self, target: Element, checked: bool, intention: str) -> None:
        """Check or uncheck a checkbox or radio button."""
        handle, recorded = await self._target(target)
        before = self.page.url
        async with self._effects(handle) as effects:
            await handle.set_checked(checked)
            await effects.settle()
        caused = _without_own_state(await effects.postconditions(handle))
        post = (ElementState(state="checked" if checked else "unchecked"), *caused)
        self._append(SetCheckedAction(target=recorded, checked=checked), intention, before, post)

    async def press(self, target: Element | None, key: str, intention: str) -> None:
        """Press `key` on the element, or on the page when `target` is None."""
        before = self.page.url
        recorded = None
        if target is None:
            async with self._effects(None) as effects:
                await self.page.keyboard.press(key)
                await effects.settle()
            post = await effects.postconditions(None)
        else:
            handle, recorded = await self._target(target)
            async with self._effects(handle) as effects:
                await handle.press(key)
                await effects.settle()
            post = await effects.postconditions(handle)
        self._append(PressAction(target=recorded, key=key), intention, before, _without_own_state(post))

    async def hover(self, target: Element, intention: str) -> None:
        """Move the mouse over the element."""
        handle, recorded = await self._target(target)
        before = self.page.url
        await handle.hover()
        self._append(HoverAction(target=recorded), intention, before, ())

    async def scroll(self, target: Element | None, intention: str, *, delta_x: int = 0, delta_y: int = 0) -> None:
        """Scroll the element into view, or the page by the deltas when `target` is None."""
        before = self.page.url
        recorded = None
        if target is None:
            await self.page.evaluate("([x, y]) => window.scrollBy(x, y)", [delta_x, delta_y])
        else:
            handle, recorded = await self._target(target)
            await handle.scroll_into_view_if_needed()
        self._append(ScrollAction(target=recorded, delta_x=delta_x, delta_y=delta_y), intention, before, ())

    async def upload_file(self, target: Element, files: list[Text], intention: str) -> None:
        """Upload through a file input, or through the file chooser a button opens."""
        handle, recorded = await self._target(target)
        before = self.page.url
        paths = [self._resolve(f) for f in files]
        if await handle.evaluate("el => el.tagName === 'INPUT' && el.type === 'file'"):
            await handle.set_input_files(paths)
        else:
            async with self.page.expect_file_chooser() as chooser:
                await handle.click()
            await (await chooser.value).set_files(paths)
        for file in files:  # a parameter naming a file to upload is a file parameter (given at run time)
            if isinstance(file, ParamRef):
                self._used[file.name] = self._used[file.name].model_copy(update={"type": "file"})
        action = UploadFileAction(target=recorded, files=tuple(self._value(f) for f in files))
        self._append(action, intention, before, ())

    async def download(self, target: Element, intention: str, *, save_as: str | Path | None = None) -> Path:
        """Click the element and keep the download it starts; returns its path."""
        handle, recorded = await self._target(target)
        before = self.page.url
        async with self.page.expect_download() as info:
            await handle.click()
        download = await info.value
        path = Path(save_as) if save_as is not None else Path(await download.path())
        if save_as is not None:
            await download.save_as(path)
        self._append(DownloadAction(target=recorded), intention, before, ())
        return path

    async def extract(
        self,
        output: str,
        fields: dict[str, dict[str, Any]],
        intention: str,
        *,
        json_schema: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """`fields` maps a name to {"target": element, "attribute"?, "many"?, "columns"?: {name: css}}.

        With `many`, the target is one of the matching elements (a row); its siblings of the same
        shape are read too, and the candidates kept are those that match all of them. Returns what a
        replay of the step returns: read through the recorded selector the way the runtime reads,
        coerced to `json_schema` (rows as a list of objects, `many` as a list, else one value).
        """
        before = self.page.url
        specs: list[ExtractField] = []
        data: dict[str, Any] = {}
        for name, spec in fields.items():
            many = bool(spec.get("many") or spec.get("columns"))
            handle, recorded = await self._target(spec["target"], many=many)
            columns = tuple(Column(name=k, selector=v) for k, v in (spec.get("columns") or {}).items())
            specs.append(ExtractField(name=name, target=recorded, attribute=spec.get("attribute"), many=many, columns=columns))
            data[name] = await _read(self.page, specs[-1]) if many else await read_values(handle, spec.get("attribute"))
        action = ExtractAction(output=output, fields=tuple(specs), json_schema=json_schema or {"type": "object"})
        properties = action.json_schema.get("properties") or {}
        data = {k: coerce(v, properties[k]) if isinstance(properties.get(k), dict) else v for k, v in data.items()}
        self._append(action, intention, before, ())
        return data

    async def assert_text(self, target: Element, text: str | ParamRef, intention: str, *, exact: bool = False) -> None:
        """The element shows `text` (a literal, or `param(name)` for a run-time value).

        Run data in a literal text becomes a template (issue 12); a text holding a value the template
        cannot stand for (typed as a literal, a secret) is refused: replayed, it would only find the
        recording's own data.
        """
        if isinstance(text, ParamRef):
            self._resolve(text)  # declares it
            _, recorded = await self._check_target(target)
            condition = ElementText(target=recorded, text=text, exact=exact)
        else:
            template = self.data.template(text, "check")
            if self._stale.found_outside(text, template):
                raise RecorderError(
                    "the text to check holds a value typed or given in this run that no parameter stands for:"
                    " replayed, it would only find the recording's own data; check something else"
                )
            _, recorded = await self._check_target(target)
            condition = ElementText(target=recorded, text=text, exact=exact, template=template)
        self._append(AssertAction(condition=condition), intention, self.page.url, ())

    async def assert_url(self, pattern: str, intention: str) -> None:
        """The page's URL matches `pattern`."""
        self._append(AssertAction(condition=UrlMatches(pattern=pattern)), intention, self.page.url, ())

    async def assert_value(self, target: Element, value: Text, intention: str) -> None:
        """The field holds `value`."""
        _, recorded = await self._check_target(target)
        condition = FieldValue(target=recorded, value=self._value(value))
        self._append(AssertAction(condition=condition), intention, self.page.url, ())

    async def assert_state(
        self,
        target: Element,
        state: Literal["visible", "hidden", "checked", "unchecked", "enabled", "disabled"],
        intention: str,
    ) -> None:
        """The element is in `state`."""
        _, recorded = await self._check_target(target)
        self._append(AssertAction(condition=ElementState(target=recorded, state=state)), intention, self.page.url, ())

    async def complete(self, intention: str, summary: str = "") -> None:
        """Mark the task done."""
        self._append(CompleteAction(summary=summary), intention, self.page.url, ())

    # --- machinery ------------------------------------------------------------

    def _append(self, action: Any, intention: str, before: str, post: tuple[Postcondition, ...]) -> None:
        if self._start_url is None:
            self._start_url = before
        action = self._after_capture(action, post)
        self._count += 1
        step = Step(
            id=f"s{self._count}",
            action=action,
            intention=intention,
            url_before=before,
            url_after=self.page.url,
            postconditions=post,
        )
        for name in sorted(_template_params(step)):
            self._resolve(ParamRef(name=name))  # a parameter a template refers to is declared like a typed one
        self._blocks[-1][2].append(step)

    def _after_capture(self, action: Any, post: tuple[Postcondition, ...]) -> Any:
        """An action whose URL check captured ids no longer refers to them in its own target (issue 12)."""
        names = {
            r.name for p in post if isinstance(p, UrlMatches) and p.template for r in p.template.refs() if r.kind == "capture"
        }
        target = getattr(action, "target", None)
        if not names or target is None:
            return action
        captured = RunData()
        for name in sorted(names):
            captured.define(name, self.data.variables[name], self.data.stems.get(name))
        return action.model_copy(update={"target": after_capture(target, captured)})

    def _value(self, value: Text) -> LiteralValue | ParamRef | SecretRef:
        if isinstance(value, (ParamRef, SecretRef)):
            self._resolve(value)  # declares it, and fails early when no value was given
            return value
        return LiteralValue(value=value)

    def _resolve(self, value: Text) -> str:
        if isinstance(value, SecretRef):
            if value.name not in self._secrets:
                raise RecorderError(f"no value given for secret {value.name!r}: pass secrets={{{value.name!r}: ...}}")
            self._used.setdefault(value.name, Parameter(name=value.name, secret=True))
            return self._secrets[value.name]
        if isinstance(value, ParamRef):
            if value.name not in self._params:
                raise RecorderError(f"no value given for parameter {value.name!r}: pass params={{{value.name!r}: ...}}")
            raw = self._params[value.name]
            kind = {bool: "boolean", int: "integer", float: "number"}.get(type(raw), "string")
            self._used.setdefault(value.name, Parameter(name=value.name, type=kind))  # type: ignore[arg-type]
            return str(raw)
        return value

    async def _bind_origin(self, name: str, handle: ElementHandle) -> None:
        """Remember the origin a secret was typed on: replays type it there only (see runtime._origins)."""
        frame = await handle.owner_frame()
        origin = origin_of(frame.url if frame is not None else self.page.url)
        declared = self._used[name]
        if origin and origin not in declared.origins:
            origins = tuple(sorted({*declared.origins, origin}))
            self._used[name] = declared.model_copy(update={"origins": origins})

    async def _target(self, element: Element, *, many: bool = False) -> tuple[ElementHandle, Target]:
        handle, target = await record_target(self.page, element, many=many, data=self.data, stale=self._stale)
        appeared = await _appear_ms(handle)
        if appeared is not None:
            target = target.model_copy(update={"appear_ms": appeared})
        await self._watch_appearances()
        return handle, target

    async def _watch_appearances(self) -> None:
        """Stamp elements as they appear, in every document of the context from now on (issue 12)."""
        script = f"({page_script('appear')}).install()"
        context = self.page.context
        try:
            if context not in self._appear_contexts:
                self._appear_contexts.add(context)
                await context.add_init_script(script)
            for frame in self.page.frames:
                await frame.evaluate(script)
        except PlaywrightError:
            pass  # a frame navigating away: its next document runs the init script

    async def _check_target(self, element: Element) -> tuple[ElementHandle, Target]:
        """The element an assertion checks; one known only by this run's own data would prove nothing."""
        handle, recorded = await self._target(element)
        fingerprint = recorded.fingerprint
        if fingerprint is not None and {"name", "context"} & set(fingerprint.stale or ()):
            raise RecorderError(
                "the element to check is known by a value typed or given in this run: replayed, the check"
                " would only find the recording's own data; check something else"
            )
        return handle, recorded

    def _effects(self, handle: ElementHandle | None) -> _EffectsFor:
        return _EffectsFor(self, handle)


class _EffectsFor:
    """`Effects` for an action on `handle` (or on whatever has focus), opened on the handle's frame."""

    def __init__(self, recorder: Recorder, handle: ElementHandle | None) -> None:
        self.recorder = recorder
        self.handle = handle
        self.effects: Effects | None = None

    async def __aenter__(self) -> Effects:
        rec = self.recorder
        frame = await self.handle.owner_frame() if self.handle is not None else rec.page.main_frame

        async def record(element: ElementHandle) -> Target:
            return (await rec._target(element))[1]

        self.effects = Effects(rec.page, frame, rec._stale, record, rec.data)
        return await self.effects.__aenter__()

    async def __aexit__(self, *exc: object) -> None:
        assert self.effects is not None
        await self.effects.__aexit__(*exc)  # type: ignore[arg-type]


def _without_own_state(post: tuple[Postcondition, ...]) -> tuple[Postcondition, ...]:
    """A key press's own element has no checked state to speak of (Space on a box is a click's job)."""
    return tuple(p for p in post if not (isinstance(p, ElementState) and p.target is None))


# A page may swap an element for a fresh copy while the recorder reads it (a listing that re-renders its
# results in place after a search): the handle is then detached and no selector finds it any more. A
# Locator finds the new copy, so the element is read again, this many times at most.
_DETACHED_RETRIES = 3


async def record_target(
    page: Page, element: Element, *, many: bool = False, data: RunData | None = None, stale: StaleData | None = None
) -> tuple[ElementHandle, Target]:
    """An element as a recorded Target (see `_record_target`), read again if the page replaced it meanwhile."""
    for attempt in range(_DETACHED_RETRIES + 1):
        try:
            return await _record_target(page, element, many=many, data=data, stale=stale)
        except _Detached:
            pass
        except PlaywrightError as exc:
            if not isinstance(element, Locator) or "not attached" not in str(exc):
                raise
        if attempt < _DETACHED_RETRIES:
            await page.wait_for_load_state("load")
            await page.wait_for_timeout(50 * 2**attempt)  # give a re-rendering page time to finish
    raise RecorderError("the element was replaced by the page each time it was read: it cannot be recorded")


class _Detached(Exception):
    """The element left the document while it was being recorded."""


async def _record_target(
    page: Page, element: Element, *, many: bool = False, data: RunData | None = None, stale: StaleData | None = None
) -> tuple[ElementHandle, Target]:
    """An element as a recorded Target: its frame path, verified ranked candidates, and fingerprint.

    With `many`, the element is one of a repeated set (a row) and the candidates match all of them.
    In a repeated container (a table row, a list item, a card) the fingerprint carries what tells the
    container from its siblings, and candidates scoped to it lead. With `data`, strings holding the
    run's data become templates (see `tracer._generalise`); with `stale`, text holding run data that no
    template stands for is dropped from candidates and marked stale in the fingerprint (see _stale.py).
    """
    if isinstance(element, Locator):
        handle = await (element.first if many else element).element_handle()
    else:
        handle = element
    frame_path, scope = await _frame_path(page, handle)
    live = await handle.evaluate(page_script("fingerprint"))
    structure = await handle.evaluate(page_script("describe"))
    context = None if many else await handle.evaluate(page_script("context"))
    recorded = {**live, "context": {"container": context["container"], "text": context["text"]} if context else None}
    fingerprint = Fingerprint.model_validate(recorded)
    if many:
        candidates = _row_candidates(live, structure)
    else:
        proposals = with_classes(propose(live, structure, context), live, structure)
        if data is not None:
            proposals = generalise_candidates(proposals, data)
        if stale is not None:
            proposals = stale.candidates(proposals)
        candidates = lean(await rank_unique(scope, handle, proposals), live, structure)
    if data is not None:
        if many:
            candidates = generalise_candidates(candidates, data)
        candidates = await _generalised(scope, handle, candidates, data, many)
        fingerprint = generalise_fingerprint(fingerprint, data)
    if stale is not None:
        fingerprint = stale.fingerprint(fingerprint)
    if isinstance(element, Locator) and not await _connected(handle):
        raise _Detached
    if not candidates:
        raise RecorderError(f"no selector singles out the <{live['tag']}> element: it cannot be replayed")
    return handle, Target(candidates=tuple(candidates), frame_path=frame_path, fingerprint=fingerprint)


async def _read(page: Page, field: ExtractField) -> Any:
    """Every row (or match) of a `many` field, through its recorded selector, as a replay reads them."""
    scope: Page | FrameLocator = page
    for selector in field.target.frame_path:
        scope = scope.frame_locator(selector)
    columns = {c.name: (c.selector if c.attribute is None else [c.selector, c.attribute]) for c in field.columns}
    return await read_values(locator_for(scope, field.target.candidates[0]), field.attribute, True, columns or None)


def _row_candidates(live: dict, structure: dict) -> list[Candidate]:
    """For repeated elements: a CSS path without the row's own position, matching every row."""
    path = structure.get("cssPath") or live["tag"]
    general = re.sub(r":nth-of-type\(\d+\)$", "", path.split(" > ")[-1])
    parts = path.split(" > ")[:-1] + [general]
    options = [Candidate(strategy="css", value=" > ".join(parts))]
    if len(parts) > 1:
        options.append(Candidate(strategy="css", value=f"{parts[0]} {general}"))
    return options


async def _frame_path(page: Page, handle: ElementHandle) -> tuple[tuple[str, ...], Page | FrameLocator]:
    frame: Frame | None = await handle.owner_frame()
    selectors: list[str] = []
    while frame is not None and frame.parent_frame is not None:
        frame_element = await frame.frame_element()
        selectors.insert(0, await frame_element.evaluate(page_script("frame_selector")))
        frame = frame.parent_frame
    scope: Page | FrameLocator = page
    for selector in selectors:
        scope = scope.frame_locator(selector)
    return tuple(selectors), scope



async def _generalised(
    scope: Page | FrameLocator, handle: ElementHandle, candidates: list[Candidate], data: RunData, many: bool
) -> list[Candidate]:
    """A candidate whose template holds a wildcard (a counter) must still single out the element."""
    kept = []
    for candidate in candidates:
        if candidate.template is not None and has_wildcards(candidate.template) and not many:
            loc = locator_for(scope, candidate, data.params, data.variables)
            try:
                if await loc.count() != 1 or not await loc.evaluate("(el, target) => el === target", handle):
                    continue
            except PlaywrightError:
                continue
        kept.append(candidate)
    return kept


async def _appear_ms(handle: ElementHandle) -> int | None:
    try:
        value = await handle.evaluate(f"(el) => ({page_script('appear')}).measure(el)")
    except PlaywrightError:
        return None
    return int(value) if isinstance(value, (int, float)) else None


def _template_params(item: Any) -> set[str]:
    """The parameters the templates in a step refer to."""
    if isinstance(item, Ref):
        return {item.name} if item.kind == "param" and item.name else set()
    if isinstance(item, BaseModel):
        return set().union(*(_template_params(getattr(item, name)) for name in type(item).model_fields))
    if isinstance(item, (tuple, list)):
        return set().union(*(_template_params(sub) for sub in item))
    if isinstance(item, dict):
        return set().union(*(_template_params(sub) for sub in item.values()))
    return set()


async def _connected(handle: ElementHandle) -> bool:
    try:
        return bool(await handle.evaluate("element => element.isConnected"))
    except PlaywrightError:  # its frame went away with it
        return False
