"""The runner: each block from cached code when it can, healed when the page changed, by the agent otherwise."""

from __future__ import annotations

import ast
import asyncio
import hashlib
import inspect
import json
import secrets as _random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, async_playwright

from agent import LLM, Agent, AgentConfig, ConfigError, LLMError, Task, Usage, ask_page, locate, redact
from codegen import compile_trace
from tracer import Parameter, Recorder, RecorderError, Target, Trace, record_target, write_atomic

from .._browser import launch_chromium
from .._errors import Divergence, DivergenceError, TaskTerminated
from .._options import HealRequest, Options
from .._script import ScriptError, load_params, load_script
from .._steps import StepResult
from .._urls import url_matches
from ._cache import Cache, Slot, Version
from ._report import write_report
from ._result import BlockResult, RunResult, StepReport
from ._scrub import scrub_zip
from ._splice import replace_targets, splice
from ._templates import TemplateProblem, evaluate, render
from ._workflow import (
    CodeBlock,
    ConditionalBlock,
    ExtractionBlock,
    ForLoopBlock,
    GotoBlock,
    LoginBlock,
    TaskBlock,
    WaitBlock,
    Workflow,
    WorkflowError,
    load_workflow,
    parse_workflow,
)

__all__ = ["DEFAULT_CACHE", "DEFAULT_RUNS", "run_task", "run_workflow"]

DEFAULT_CACHE = Path(".encore/cache.sqlite")
# Divergences found after the step's action already ran (its post-conditions failed).
_PERFORMED = frozenset({"unexpected_url", "postcondition_failed"})
DEFAULT_RUNS = Path(".encore/runs")
Scalar = str | int | float | bool
RunWith = Literal["code", "agent"]
Engine = Literal["record", "off"]


async def run_task(
    goal: str,
    url: str,
    params: dict[str, Scalar] | None = None,
    *,
    secrets: dict[str, str] | None = None,
    output_schema: dict[str, Any] | None = None,
    task_id: str | None = None,
    cache_key: str = "",
    run_with: RunWith = "code",
    engine: Engine = "record",
    max_steps: int | None = None,
    **options: Any,
) -> RunResult:
    """One goal on one start page, cached as one block. See `run_workflow` for the options."""
    params, secrets = dict(params or {}), dict(secrets or {})
    identity = hashlib.sha256(json.dumps([goal, url], ensure_ascii=False).encode()).hexdigest()[:12]
    block: dict[str, Any] = {"label": "task", "kind": "task", "goal": goal, "url": url, "max_steps": max_steps}
    if output_schema is not None:
        block = {**block, "kind": "extraction", "schema": output_schema, "output": "result"}
    workflow = parse_workflow(
        {
            "id": task_id or f"task-{identity}",
            "title": goal[:200],
            "cache_key": cache_key,
            "parameters": [_declare(name, value) for name, value in sorted(params.items())]
            + [{"name": name, "secret": True} for name in sorted(secrets)],
            "blocks": [block],
        },
        "task",
    )
    return await run_workflow(workflow, {**params, **secrets}, run_with=run_with, engine=engine, **options)


async def run_workflow(
    definition: Workflow | dict[str, Any] | str | Path,
    params: dict[str, Scalar] | None = None,
    *,
    run_with: RunWith = "code",
    engine: Engine = "record",
    cache: Cache | str | Path = DEFAULT_CACHE,
    runs_dir: str | Path = DEFAULT_RUNS,
    page: Page | None = None,
    config: AgentConfig | None = None,
    heal: bool = True,
    max_heal_streak: int = 3,
    playwright_trace: bool = True,
    headed: bool = False,
    options: Options | None = None,
) -> RunResult:
    """Run a workflow; returns the run result (also written as result.json and report.html under runs_dir).

    run_with="code" replays each block's cached script when there is one (healing it when the page
    changed) and uses the agent where there is none; run_with="agent" always uses the agent.
    engine="record" caches what the agent did as code; engine="off" leaves the cache alone.
    """
    workflow = definition if isinstance(definition, Workflow) else (
        parse_workflow(definition) if isinstance(definition, dict) else load_workflow(definition)
    )
    values, secret_values = _bind(workflow, dict(params or {}))
    store = cache if isinstance(cache, Cache) else Cache(cache)
    run = _Run(
        workflow=workflow,
        cache=store,
        run_id=time.strftime("%Y%m%d-%H%M%S") + "-" + _random.token_hex(3),
        run_with=run_with,
        engine=engine,
        config=config,
        params=values,
        secrets=secret_values,
        heal=heal,
        max_heal_streak=max_heal_streak,
        replay_options=options or Options(),
    )
    run.cache_key = _cache_key(workflow, values)
    run.run_dir = Path(runs_dir) / run.run_id
    async with _page(page, headed) as live:
        run.page = live
        tracing = playwright_trace
        if tracing:
            try:
                await live.context.tracing.start(snapshots=True, screenshots=False, sources=False)
            except PlaywrightError:
                tracing = False  # the caller's context is already being traced
        try:
            await run.blocks(workflow.blocks, "", {})
        finally:
            if tracing:
                trace_zip = run.run_dir / "trace.zip"
                run.run_dir.mkdir(parents=True, exist_ok=True)
                await run.page.context.tracing.stop(path=trace_zip)
                scrub_zip(trace_zip, secret_values)
                run.trace_zip = str(trace_zip)
    return run.finish()


@asynccontextmanager
async def _page(page: Page | None, headed: bool) -> AsyncIterator[Page]:
    if page is not None:
        yield page
        return
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright, headless=not headed)
        try:
            context = await browser.new_context(accept_downloads=True)
            yield await context.new_page()
        finally:
            await browser.close()


def _declare(name: str, value: Scalar) -> dict[str, Any]:
    kind = {bool: "boolean", int: "integer", float: "number"}.get(type(value), "string")
    return {"name": name, "type": kind}


def _bind(workflow: Workflow, given: dict[str, Scalar]) -> tuple[dict[str, Scalar], dict[str, str]]:
    """Split run-time values into plain parameters and secrets; missing, unknown or mistyped values fail here."""
    declared = {p.name: p for p in workflow.parameters}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise WorkflowError(f"{workflow.id}: unknown parameters {unknown}; declared: {sorted(declared) or 'none'}")
    values: dict[str, Scalar] = {}
    secret_values: dict[str, str] = {}
    for name, parameter in declared.items():
        if name not in given and parameter.default is None:
            raise WorkflowError(f"{workflow.id}: parameter {name!r} needs a value" + (
                f" (for a secret: the environment variable ENCORE_PARAM_{name.upper()})" if parameter.secret else ""
            ))
        value = given.get(name, parameter.default)
        if parameter.secret:
            secret_values[name] = str(value)
        else:
            values[name] = _typed(parameter, value, workflow.id)  # type: ignore[arg-type]
    return values, secret_values


def _typed(parameter: Parameter, value: Scalar, where: str) -> Scalar:
    try:
        if parameter.type == "integer":
            return int(value)
        if parameter.type == "number":
            return float(value)
        if parameter.type == "boolean":
            return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")
    except (TypeError, ValueError):
        raise WorkflowError(f"{where}: parameter {parameter.name!r} must be {parameter.type}") from None
    return str(value) if not isinstance(value, str) else value


def _cache_key(workflow: Workflow, values: dict[str, Scalar]) -> str:
    """The rendered template, plus a digest of the declared parameters: changing them starts a new key."""
    rendered = render(workflow.cache_key, {**values, "params": values}, "cache_key") if workflow.cache_key else ""
    signature = json.dumps(sorted((p.name, p.type, p.secret) for p in workflow.parameters))
    return f"{rendered or 'default'}@{hashlib.sha256(signature.encode()).hexdigest()[:10]}"


@dataclass
class _Run:
    workflow: Workflow
    cache: Cache
    run_id: str
    run_with: RunWith
    engine: Engine
    config: AgentConfig | None
    params: dict[str, Scalar]
    secrets: dict[str, str]
    heal: bool
    max_heal_streak: int
    replay_options: Options
    cache_key: str = ""
    run_dir: Path = Path(".")
    page: Page = None  # type: ignore[assignment]
    outputs: dict[str, Any] = field(default_factory=dict)
    results: list[BlockResult] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    trace_zip: str | None = None
    failed: bool = False
    started: float = field(default_factory=time.perf_counter)
    _llm: LLM | None = None

    # --- the tree ---------------------------------------------------------------

    async def blocks(self, blocks: list[Any], branch: str, scope: dict[str, Any]) -> None:
        for block in blocks:
            if self.failed:
                return
            started, mark = time.perf_counter(), self.usage.llm_calls
            try:
                result = await self.block(block, branch, scope)
            except (TemplateProblem, WorkflowError, ConfigError, LLMError, ScriptError, PlaywrightError) as exc:
                # The run still ends with its report: the block failed, and says why.
                message = redact(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, self.secrets)
                result = BlockResult(label=block.label, kind=block.kind, branch=branch, mode="live", ok=False, message=message)
            if result is None:
                continue  # a container block reported itself before its children
            self.account(result, started, mark)
            self.results.append(result)
            self.failed = not result.ok

    def account(self, result: BlockResult, started: float, mark: int) -> None:
        used = self.usage.since(mark)
        result.seconds = round(time.perf_counter() - started, 3)
        result.llm_calls, result.cost_usd = used.llm_calls, used.cost_usd
        result.prompt_tokens, result.completion_tokens = used.prompt_tokens, used.completion_tokens

    async def block(self, block: Any, branch: str, scope: dict[str, Any]) -> BlockResult | None:
        if isinstance(block, (TaskBlock, ExtractionBlock, LoginBlock)):
            return await self.cached(block, branch, scope)
        if isinstance(block, ConditionalBlock):
            return await self.conditional(block, branch, scope)
        if isinstance(block, ForLoopBlock):
            return await self.loop(block, branch, scope)
        live = BlockResult(label=block.label, kind=block.kind, branch=branch, mode="live", ok=True)
        if isinstance(block, GotoBlock):
            url = render(block.url, self.context(scope), f"block {block.label}: url")
            await self.page.goto(url, wait_until="load")
            live.message = f"opened {url}"
        elif isinstance(block, WaitBlock):
            live.message = await self.wait(block, scope)
            live.ok = not live.message.startswith("timed out")
        elif isinstance(block, CodeBlock):
            live.message = await self.code(block, scope)
            live.ok = not live.message.startswith("failed")
        return live

    def context(self, scope: dict[str, Any]) -> dict[str, Any]:
        """What templates and expressions see: parameters (no secrets), loop items, outputs so far."""
        params = {**self.params, **self.loop_params(scope)}
        return {**params, **scope, "params": params, "outputs": self.outputs}

    @staticmethod
    def loop_params(scope: dict[str, Any]) -> dict[str, Scalar]:
        """Loop items as parameters: a scalar item is `item`, a record's scalar fields are `item_<field>`."""
        out: dict[str, Scalar] = {}
        for name, value in scope.items():
            if isinstance(value, (str, int, float, bool)):
                out[name] = value
            elif isinstance(value, dict):
                out.update({f"{name}_{k}": v for k, v in value.items() if isinstance(v, (str, int, float, bool)) and str(k).isidentifier()})
        return out

    async def conditional(self, block: ConditionalBlock, branch: str, scope: dict[str, Any]) -> None:
        if block.condition is not None:
            decided = bool(evaluate(block.condition, self.context(scope), f"block {block.label}: if"))
            how = f"`{block.condition}` is {decided}"
        else:
            question = render(block.question or "", self.context(scope), f"block {block.label}: question")
            llm = self.llm()
            answer = await ask_page(self.page, question, config=llm.config, llm=llm, secrets=self.secrets)
            decided, how = answer.answer, f"the model answered {'yes' if answer.answer else 'no'}: {answer.reason}"
        arm = "then" if decided else "else"
        self.results.append(
            BlockResult(label=block.label, kind=block.kind, branch=branch, mode="live", ok=True, message=f"{how}: {arm}")
        )
        await self.blocks(block.then if decided else block.otherwise, f"{branch}/{block.label}:{arm}", scope)
        return None

    async def loop(self, block: ForLoopBlock, branch: str, scope: dict[str, Any]) -> None:
        items = evaluate(block.over, self.context(scope), f"block {block.label}: over")
        if not isinstance(items, (list, tuple)):
            raise TemplateProblem(f"block {block.label}: `over` gave {type(items).__name__}, not a list")
        self.results.append(
            BlockResult(label=block.label, kind=block.kind, branch=branch, mode="live", ok=True, message=f"{len(items)} items")
        )
        for item in items:
            if self.failed:
                break
            await self.blocks(block.blocks, f"{branch}/{block.label}[]", {**scope, block.item: item})
        return None

    async def wait(self, block: WaitBlock, scope: dict[str, Any]) -> str:
        if block.seconds:
            await asyncio.sleep(block.seconds)
        deadline = time.monotonic() + block.timeout_s
        if block.url:
            pattern = render(block.url, self.context(scope), f"block {block.label}: url")
            while not url_matches(self.page.url, pattern):
                if time.monotonic() > deadline:
                    return f"timed out waiting for URL {pattern}"
                await asyncio.sleep(0.1)
        if block.text:
            text = render(block.text, self.context(scope), f"block {block.label}: text")
            try:
                await self.page.get_by_text(text).first.wait_for(timeout=block.timeout_s * 1000)
            except PlaywrightError:
                return f"timed out waiting for text {text!r}"
        return "waited"

    async def code(self, block: CodeBlock, scope: dict[str, Any]) -> str:
        """Run the snippet as written by the workflow's author; top-level `await` is allowed."""
        namespace = {
            "page": self.page,
            "params": dict(self.context(scope)["params"]),
            "secrets": dict(self.secrets),
            "outputs": self.outputs,
            "asyncio": asyncio,
        }
        try:
            code = compile(block.code, f"<block {block.label}>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            value = eval(code, namespace)  # noqa: S307 - the workflow's own code block, by definition code
            if inspect.iscoroutine(value):
                await value
        except Exception as exc:  # noqa: BLE001 - whatever the snippet raised is the block's failure
            return redact(f"failed: {type(exc).__name__}: {exc}", self.secrets)
        return "ran"

    # --- cached blocks ----------------------------------------------------------

    def slot(self, block: Any, branch: str) -> Slot:
        return Slot(self.workflow.id, self.cache_key, block.label, branch)

    async def cached(self, block: Any, branch: str, scope: dict[str, Any]) -> BlockResult:
        slot = self.slot(block, branch)
        version = self.cache.latest(slot) if self.run_with == "code" else None
        if version is not None:
            try:
                return await self.replay(block, branch, scope, slot, version)
            except ScriptError as exc:
                message = f"cached version {version.version} cannot run ({exc}); recording anew"
                result = await self.record(block, branch, scope, slot)
                result.message = f"{message}; {result.message}"
                return result
        return await self.record(block, branch, scope, slot)

    def goal(self, block: Any, scope: dict[str, Any]) -> str:
        where = f"block {block.label}: goal"
        if isinstance(block, LoginBlock):
            text = block.goal or (
                f"Log in: type the parameter `{block.username}` as the user name and the secret parameter "
                f"`{block.password}` as the password, submit, and complete once logged in."
            )
            return render(text, self.context(scope), where)
        return render(block.goal, self.context(scope), where)

    def task(self, block: Any, scope: dict[str, Any], goal: str) -> Task:
        outputs = {block.output_name: block.json_schema} if isinstance(block, ExtractionBlock) else {}
        params = {**self.params, **self.loop_params(scope)}
        return Task(goal=goal, params=params, secrets=dict(self.secrets), outputs=outputs)

    def llm(self) -> LLM:
        if self._llm is None:
            self._llm = LLM(self.config or AgentConfig.from_env(), self.usage)
        return self._llm

    async def record(self, block: Any, branch: str, scope: dict[str, Any], slot: Slot) -> BlockResult:
        """The agent does the block from the start; on success its trace becomes the next cached version."""
        goal = self.goal(block, scope)
        task = self.task(block, scope, goal)
        recorder = Recorder(
            self.page,
            trace_id=f"{self.workflow.id}.{block.label}",
            title=goal[:200],
            params=task.params,
            secrets=task.secrets,
            block=block.label,
            block_kind=block.kind,
        )
        result = BlockResult(label=block.label, kind=block.kind, branch=branch, mode="agent", ok=False)
        if block.url:
            url = render(block.url, self.context(scope), f"block {block.label}: url")
            try:
                await recorder.goto(url, f"Open the start page of {block.label}")
            except PlaywrightError as exc:
                result.message = redact(f"cannot open {url}: {str(exc).splitlines()[0]}", self.secrets)
                return result
        outcome = await Agent(self.page, task, config=self.config, llm=self.llm(), recorder=recorder).run(block.max_steps)
        self.page = recorder.page
        result.steps = [_agent_step(s) for s in outcome.steps]
        result.ok = outcome.ok
        result.message = outcome.message if not outcome.ok else (outcome.message or "completed by the agent")
        if not outcome.ok:
            result.message = f"agent {outcome.status}: {outcome.message}"
            return result
        self.outputs.update(outcome.outputs)
        if self.engine == "record" and outcome.trace is not None:
            stored, note = self.store(slot, outcome.trace, "agent")
            result.new_version = stored.version if stored else None
            result.message = note or result.message
        return result

    async def replay(self, block: Any, branch: str, scope: dict[str, Any], slot: Slot, version: Version) -> BlockResult:
        module = load_script(self.cache.script_path(version))
        trace = version.trace()
        fields = module.Params.model_fields
        values = {**self.params, **self.loop_params(scope), **self.secrets}
        params = load_params(module, {k: v for k, v in values.items() if k in fields})
        results: list[StepResult] = []
        healer = _ElementHealer(self, trace) if self.heal else None
        options = Options(
            base_url=self.replay_options.base_url,
            locate_timeout=self.replay_options.locate_timeout,
            action_timeout=self.replay_options.action_timeout,
            postcondition_timeout=self.replay_options.postcondition_timeout,
            navigation_timeout=self.replay_options.navigation_timeout,
            min_score=self.replay_options.min_score,
            artifacts_dir=self.run_dir / "artifacts" / block.label,
            on_step=results.append,
            healer=healer,
        )
        result = BlockResult(label=block.label, kind=block.kind, branch=branch, mode="code", ok=True, version=version.version)
        pages_before = set(self.page.context.pages)
        try:
            outputs = await module.run(self.page, params, options)
        except DivergenceError as error:
            self.follow_new_page(pages_before)
            result.steps = [_code_step(r) for r in results]
            return await self.heal_block(block, scope, slot, version, trace, error.divergence, results, healer, result)
        except TaskTerminated as stop:
            result.ok, result.message = False, f"the recorded task terminates: {stop.reason}"
            return result
        self.follow_new_page(pages_before)
        result.steps = [_code_step(r) for r in results]
        self.outputs.update(outputs)
        healed = {r.step_id: healer.targets[r.step_id] for r in results if r.healed and healer and r.step_id in healer.targets}
        if not healed:
            self.cache.record_outcome(slot, healed=False)
            return result
        result.mode = "healed_element"
        stored, note = self.store(slot, replace_targets(trace, healed), "healed_element", healing=True)
        result.new_version = stored.version if stored else None
        result.heal_loop = note.startswith("heal loop")
        result.message = note or f"re-recorded the element of {', '.join(sorted(healed))}"
        return result

    def follow_new_page(self, before: set[Page]) -> None:
        """A replayed click that opened a tab moved the script there; the next block continues there too."""
        opened = [p for p in self.page.context.pages if p not in before and not p.is_closed()]
        if opened:
            self.page = opened[-1]

    async def heal_block(
        self,
        block: Any,
        scope: dict[str, Any],
        slot: Slot,
        version: Version,
        trace: Trace,
        divergence: Divergence,
        results: list[StepResult],
        healer: _ElementHealer | None,
        result: BlockResult,
    ) -> BlockResult:
        """The agent finishes the block from where the code stopped; what ran before is kept as it was."""
        result.divergence = divergence
        result.ok = False
        failed_step = next((s for b in trace.blocks for s in b.steps if s.id == divergence.step_id), None)
        result.steps.append(
            StepReport(
                step_id=divergence.step_id,
                action=failed_step.action.kind if failed_step else "?",
                intention=divergence.intention,
                mode="code",
                seconds=0.0,
                ok=False,
                error=f"{divergence.reason}: {divergence.message}",
            )
        )
        if not self.heal:
            result.message = f"diverged at {divergence.step_id}: {divergence.message}"
            return result
        steps = [step for b in trace.blocks for step in b.steps]
        index = next((i for i, s in enumerate(steps) if s.id == divergence.step_id), len(steps))
        healed = {r.step_id: healer.targets[r.step_id] for r in results if r.healed and healer and r.step_id in healer.targets}
        steps = [step for b in replace_targets(trace, healed).blocks for step in b.steps]
        kept = steps[:index]
        if divergence.reason in _PERFORMED and index < len(steps):
            # The action ran and the page went elsewhere: keep the action, the agent takes it from there.
            kept.append(steps[index].model_copy(update={"postconditions": ()}))
        goal = self.goal(block, scope)
        if kept:
            done = "; ".join(f"{n}. {s.intention}" for n, s in enumerate(kept, 1))
            goal += f"\n\nThese steps of the task already ran: {done}. Continue from the current page."
        task = self.task(block, scope, goal)
        recorder = Recorder(
            self.page, trace_id=trace.id, title=trace.title, params=task.params, secrets=task.secrets,
            block=block.label, block_kind=block.kind,
        )
        outcome = await Agent(self.page, task, config=self.config, llm=self.llm(), recorder=recorder).run(block.max_steps)
        self.page = recorder.page
        result.steps += [_agent_step(s) for s in outcome.steps]
        if not outcome.ok or outcome.trace is None:
            result.message = (
                f"diverged at {divergence.step_id} ({divergence.reason}) and the agent could not finish the block:"
                f" {outcome.status}: {outcome.message}; version {version.version} stays cached"
            )
            return result
        self.outputs.update(outcome.outputs)
        result.ok, result.mode = True, "healed_block"
        stored, note = self.store(slot, splice(trace, kept, outcome.trace), "healed_block", healing=True)
        result.new_version = stored.version if stored else None
        result.heal_loop = note.startswith("heal loop")
        result.message = note or f"re-recorded from {divergence.step_id} ({divergence.reason}); kept {len(kept)} steps"
        return result

    def store(self, slot: Slot, trace: Trace, origin: Any, *, healing: bool = False) -> tuple[Version | None, str]:
        """Compile and cache a new version, unless the slot is pinned or keeps needing heals."""
        latest = self.cache.latest(slot)
        if latest is not None and latest.pinned:
            return None, f"version {latest.version} is pinned: not regenerated"
        if healing:
            streak = self.cache.record_outcome(slot, healed=True)
            if streak >= self.max_heal_streak:
                return None, f"heal loop: healed on {streak} consecutive runs; not regenerated, please review"
        else:
            self.cache.record_outcome(slot, healed=False)
        source = compile_trace(trace).source
        return self.cache.add(slot, trace, source, run_id=self.run_id, origin=origin), ""

    # --- the end ----------------------------------------------------------------

    def finish(self) -> RunResult:
        healed = any(r.mode in ("healed_element", "healed_block") for r in self.results)
        status = "failed" if self.failed else ("healed" if healed else "succeeded")
        failing = next((r for r in self.results if not r.ok), None)
        result = RunResult(
            run_id=self.run_id,
            workflow=self.workflow.id,
            cache_key=self.cache_key,
            run_with=self.run_with,
            status=status,
            seconds=round(time.perf_counter() - self.started, 3),
            blocks=self.results,
            outputs=self.outputs,
            llm_calls=self.usage.llm_calls,
            prompt_tokens=self.usage.prompt_tokens,
            completion_tokens=self.usage.completion_tokens,
            cost_usd=self.usage.cost_usd,
            message=f"block {failing.label} failed: {failing.message}" if failing else "",
            playwright_trace=self.trace_zip,
        )
        safe = RunResult.model_validate_json(redact(result.model_dump_json(), self.secrets))
        self.run_dir.mkdir(parents=True, exist_ok=True)
        safe.report = str(self.run_dir / "report.html")
        write_report(safe, self.run_dir / "report.html", lambda text: redact(text, self.secrets))
        write_atomic(self.run_dir / "result.json", safe.model_dump_json(indent=2))
        return safe


class _ElementHealer:
    """The runtime's healer: one `locate` call per failing step, and the element re-recorded as a Target."""

    def __init__(self, run: _Run, trace: Trace) -> None:
        self.run = run
        self.steps = {step.id: step for block in trace.blocks for step in block.steps}
        self.targets: dict[str, Target] = {}
        self.notes: list[str] = []

    async def __call__(self, request: HealRequest) -> Target | None:
        step = self.steps.get(request.step_id)
        recorded = getattr(step.action, "target", None) if step else None
        if recorded is None:
            return None
        try:
            llm = self.run.llm()
            found = await locate(
                request.page, request.intention, recorded.fingerprint, config=llm.config, llm=llm, secrets=self.run.secrets
            )
        except (LLMError, ConfigError) as exc:
            self.notes.append(f"{request.step_id}: {exc}")
            return None
        if found.element is None:
            self.notes.append(f"{request.step_id}: {found.reason}")
            return None
        try:
            _, target = await record_target(request.page, found.element)
        except (RecorderError, PlaywrightError) as exc:
            self.notes.append(f"{request.step_id}: {exc}")
            return None
        self.targets[request.step_id] = target
        return target


def _code_step(result: StepResult) -> StepReport:
    return StepReport(
        step_id=result.step_id,
        action=result.action,
        intention=result.intention,
        mode="healed" if result.healed else "code",
        seconds=result.seconds,
        selector=result.selector,
    )


def _agent_step(outcome: Any) -> StepReport:
    return StepReport(
        step_id=f"agent-{outcome.number}",
        action=outcome.action,
        intention=outcome.intention,
        mode="agent",
        seconds=outcome.seconds,
        ok=outcome.ok,
        error=outcome.error,
    )
