"""The recorder: performs actions on a live Playwright page and appends each as a traced Step."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from playwright.async_api import ElementHandle, Frame, FrameLocator, Locator, Page

from ._candidates import propose, rank_unique
from ._effects import Effects
from ._files import write_trace
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
from ._scripts import page_script
from ._stale import RunData

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
        # What this run typed or was given: text holding it is recording-time data (see _stale.py).
        self._run_data = RunData(self._params.values())
        for value in self._secrets.values():
            self._run_data.add(value, secret=True)
        self._used: dict[str, Parameter] = {}
        self._blocks: list[tuple[str, str, list[Step]]] = [(block, block_kind, [])]
        self._start_url: str | None = None
        self._count = 0

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
        blocks = [Block(label=label, kind=kind, steps=tuple(steps)) for label, kind, steps in self._blocks if steps]  # type: ignore[arg-type]
        if not blocks:
            raise RecorderError("nothing was recorded")
        return Trace(
            id=self.trace_id,
            title=self.title,
            start_url=self._start_url or self.page.url,
            parameters=tuple(self._used[name] for name in sorted(self._used)),
            blocks=tuple(blocks),
        )

    def save(self, path: str | Path) -> Trace:
        trace = self.trace()
        write_trace(trace, path)
        return trace

    # --- actions --------------------------------------------------------------

    async def goto(self, url: str | ParamRef, intention: str) -> None:
        address = self._resolve(url)
        before = self.page.url
        if self._start_url is None:
            self._start_url = address
        await self.page.goto(address, wait_until="load")
        self._append(GotoAction(url=self._value(url)), intention, before, ())

    async def click(
        self,
        target: Element,
        intention: str,
        *,
        button: Literal["left", "right", "middle"] = "left",
        click_count: int = 1,
        modifiers: tuple[Literal["Alt", "Control", "Meta", "Shift"], ...] = (),
    ) -> None:
        handle, recorded = await self._target(target)
        before = self.page.url
        async with self._effects(handle) as effects:
            await handle.click(button=button, click_count=click_count, modifiers=list(modifiers) or None)
            await effects.settle()
        if effects.opened:
            # Later steps happen in the new tab, as they will on replay.
            self.page = effects.opened[0]
            await self.page.wait_for_load_state("load")
        post = await effects.postconditions(handle, url_pattern)
        action = ClickAction(
            target=recorded, button=button, click_count=click_count, modifiers=modifiers, opens_page=bool(effects.opened)
        )
        self._append(action, intention, before, post)

    async def fill(self, target: Element, value: Text, intention: str) -> None:
        handle, recorded = await self._target(target)
        before = self.page.url
        typed = self._resolve(value)
        await handle.fill(typed)
        self._run_data.add(typed, secret=isinstance(value, SecretRef))
        stored = self._value(value)
        self._append(FillAction(target=recorded, value=stored), intention, before, (FieldValue(value=stored),))

    async def select_option(
        self, target: Element, options: list[Text], intention: str, *, by: Literal["value", "label"] = "label"
    ) -> None:
        handle, recorded = await self._target(target)
        before = self.page.url
        wanted = [self._resolve(o) for o in options]
        chosen = await handle.select_option(**({"value": wanted} if by == "value" else {"label": wanted}))
        post: tuple[Postcondition, ...] = (FieldValue(value=LiteralValue(value=chosen[0])),) if len(chosen) == 1 else ()
        action = SelectOptionAction(target=recorded, options=tuple(self._value(o) for o in options), by=by)
        self._append(action, intention, before, post)

    async def set_checked(self, target: Element, checked: bool, intention: str) -> None:
        handle, recorded = await self._target(target)
        before = self.page.url
        async with self._effects(handle) as effects:
            await handle.set_checked(checked)
            await effects.settle()
        caused = _without_own_state(await effects.postconditions(handle, url_pattern))
        post = (ElementState(state="checked" if checked else "unchecked"), *caused)
        self._append(SetCheckedAction(target=recorded, checked=checked), intention, before, post)

    async def press(self, target: Element | None, key: str, intention: str) -> None:
        before = self.page.url
        recorded = None
        if target is None:
            async with self._effects(None) as effects:
                await self.page.keyboard.press(key)
                await effects.settle()
            post = await effects.postconditions(None, url_pattern)
        else:
            handle, recorded = await self._target(target)
            async with self._effects(handle) as effects:
                await handle.press(key)
                await effects.settle()
            post = await effects.postconditions(handle, url_pattern)
        self._append(PressAction(target=recorded, key=key), intention, before, _without_own_state(post))

    async def hover(self, target: Element, intention: str) -> None:
        handle, recorded = await self._target(target)
        before = self.page.url
        await handle.hover()
        self._append(HoverAction(target=recorded), intention, before, ())

    async def scroll(self, target: Element | None, intention: str, *, delta_x: int = 0, delta_y: int = 0) -> None:
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
        action = UploadFileAction(target=recorded, files=tuple(self._value(f) for f in files))
        self._append(action, intention, before, ())

    async def download(self, target: Element, intention: str, *, save_as: str | Path | None = None) -> Path:
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
        shape are read too, and the candidates kept are those that match all of them.
        """
        before = self.page.url
        specs: list[ExtractField] = []
        data: dict[str, Any] = {}
        for name, spec in fields.items():
            many = bool(spec.get("many") or spec.get("columns"))
            handle, recorded = await self._target(spec["target"], many=many)
            columns = tuple(Column(name=k, selector=v) for k, v in (spec.get("columns") or {}).items())
            specs.append(ExtractField(name=name, target=recorded, attribute=spec.get("attribute"), many=many, columns=columns))
            data[name] = await handle.evaluate(
                "(el, a) => a ? el.getAttribute(a) : (el.innerText || '').replace(/\\s+/g, ' ').trim()",
                spec.get("attribute"),
            )
        action = ExtractAction(output=output, fields=tuple(specs), json_schema=json_schema or {"type": "object"})
        self._append(action, intention, before, ())
        return data

    async def assert_text(self, target: Element, text: str, intention: str, *, exact: bool = False) -> None:
        if self._run_data.found_in(text):
            raise RecorderError(
                "the text to check holds a value typed or given in this run: replayed, it would only"
                " find the recording's own data; check something else"
            )
        _, recorded = await self._check_target(target)
        self._append(AssertAction(condition=ElementText(target=recorded, text=text, exact=exact)), intention, self.page.url, ())

    async def assert_url(self, pattern: str, intention: str) -> None:
        self._append(AssertAction(condition=UrlMatches(pattern=pattern)), intention, self.page.url, ())

    async def assert_value(self, target: Element, value: Text, intention: str) -> None:
        _, recorded = await self._check_target(target)
        condition = FieldValue(target=recorded, value=self._value(value))
        self._append(AssertAction(condition=condition), intention, self.page.url, ())

    async def assert_state(
        self,
        target: Element,
        state: Literal["visible", "hidden", "checked", "unchecked", "enabled", "disabled"],
        intention: str,
    ) -> None:
        _, recorded = await self._check_target(target)
        self._append(AssertAction(condition=ElementState(target=recorded, state=state)), intention, self.page.url, ())

    async def complete(self, intention: str, summary: str = "") -> None:
        self._append(CompleteAction(summary=summary), intention, self.page.url, ())

    # --- machinery ------------------------------------------------------------

    def _append(self, action: Any, intention: str, before: str, post: tuple[Postcondition, ...]) -> None:
        if self._start_url is None:
            self._start_url = before
        self._count += 1
        step = Step(
            id=f"s{self._count}",
            action=action,
            intention=intention,
            url_before=before,
            url_after=self.page.url,
            postconditions=post,
        )
        self._blocks[-1][2].append(step)

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

    async def _target(self, element: Element, *, many: bool = False) -> tuple[ElementHandle, Target]:
        return await record_target(self.page, element, many=many, run_data=self._run_data)

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

        self.effects = Effects(rec.page, frame, rec._run_data, record)
        return await self.effects.__aenter__()

    async def __aexit__(self, *exc: object) -> None:
        assert self.effects is not None
        await self.effects.__aexit__(*exc)  # type: ignore[arg-type]


def _without_own_state(post: tuple[Postcondition, ...]) -> tuple[Postcondition, ...]:
    """A key press's own element has no checked state to speak of (Space on a box is a click's job)."""
    return tuple(p for p in post if not (isinstance(p, ElementState) and p.target is None))


async def record_target(
    page: Page, element: Element, *, many: bool = False, run_data: RunData | None = None
) -> tuple[ElementHandle, Target]:
    """An element as a recorded Target: its frame path, verified ranked candidates, and fingerprint.

    With `many`, the element is one of a repeated set (a row) and the candidates match all of them.
    In a repeated container (a table row, a list item, a card) the fingerprint carries what tells the
    container from its siblings, and candidates scoped to it lead. With `run_data`, text holding the
    run's own values is dropped from candidates and marked stale in the fingerprint (see _stale.py).
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
        proposals = propose(live, structure, context)
        if run_data is not None:
            proposals = run_data.candidates(proposals)
        candidates = await rank_unique(scope, handle, proposals)
    if run_data is not None:
        fingerprint = run_data.fingerprint(fingerprint)
    if not candidates:
        raise RecorderError(f"no selector singles out the <{live['tag']}> element: it cannot be replayed")
    return handle, Target(candidates=tuple(candidates), frame_path=frame_path, fingerprint=fingerprint)


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


_ID_LIKE = re.compile(r"\d{3,}|[0-9a-f]{12,}|[0-9a-f-]{36}")


def url_pattern(url: str) -> str:
    """The URL as a pattern: path segments and query values that look like ids become `*`."""
    parts = urlsplit(url)
    path = "/".join("*" if _ID_LIKE.fullmatch(seg) else seg for seg in parts.path.split("/"))
    pairs = []
    for pair in parts.query.split("&") if parts.query else []:
        key, eq, value = pair.partition("=")
        pairs.append(f"{key}{eq}{'*' if _ID_LIKE.fullmatch(value) else value}")
    return urlunsplit((parts.scheme, parts.netloc, path, "&".join(pairs), ""))
