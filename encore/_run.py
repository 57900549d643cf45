"""One run of a workflow: the state its blocks share, dispatch to one handler per block kind, the result."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from agent import LLM, AgentConfig, ConfigError, LLMError, Task, Usage
from codegen import compile_trace
from runtime import Options, ScriptError
from tracer import Redactor, Trace, redact_trace, write_atomic, write_trace

from ._cache import Cache, CacheError, Slot, Version
from ._destinations import destinations
from ._params import Scalar
from ._report import write_report
from ._result import BlockResult, RunResult, StepReport
from ._store import DuplicateHeal
from ._templates import TemplateProblem, render
from ._workflow import ExtractionBlock, LoginBlock, Workflow, WorkflowError

__all__ = ["Engine", "Progress", "Run", "RunWith"]

RunWith = Literal["code", "agent", "code_only"]
"""code: cached code first, the model heals or records; agent: always the agent; code_only: cached code, never a model."""
Engine = Literal["record", "off"]
"""record: what the agent did becomes the slot's next cached version; off: the cache is left alone."""
Progress = Callable[[str], None]
"""Hears one line per block and per step while a run goes (the CLI prints them on stderr)."""


@dataclass
class Run:
    """What every block handler reads and updates: the page, parameters, outputs, results, model use."""

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
    heal_wait_s: float = 600.0
    cache_key: str = ""
    run_dir: Path = Path(".")
    page: Page = None  # type: ignore[assignment]
    outputs: dict[str, Any] = field(default_factory=dict)
    results: list[BlockResult] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    trace_zip: str | None = None
    failed: bool = False
    started: float = field(default_factory=time.perf_counter)
    progress: Progress | None = None
    warnings: list[str] = field(default_factory=list)
    _llm: LLM | None = None
    _redactor: Redactor | None = None

    @property
    def redactor(self) -> Redactor:
        """The one redactor for everything this run writes or prints: every spelling of every secret."""
        if self._redactor is None:
            self._redactor = Redactor(self.secrets)
        return self._redactor

    # --- the tree ---------------------------------------------------------------

    async def blocks(self, blocks: list[Any], branch: str, scope: dict[str, Any]) -> None:
        """Run `blocks` in order until one fails; each result is accounted and kept."""
        from ._blocks import handler_for  # the handlers call back into `blocks` for nested ones

        for block in blocks:
            if self.failed:
                return
            started, mark = time.perf_counter(), self.usage.llm_calls
            self.say(f"[{block.label}] {block.kind}" + (f" in {branch}" if branch else ""))
            try:
                result = await handler_for(block)(self, block, branch, scope)
            except (
                TemplateProblem, WorkflowError, ConfigError, LLMError, ScriptError, PlaywrightError, CacheError, OSError
            ) as exc:
                # The run still ends with its report: the block failed, and says why.
                message = self.redactor(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
                result = BlockResult(label=block.label, kind=block.kind, branch=branch, mode="live", ok=False, message=message)
            if result is None:
                continue  # a container block reported itself before its children
            self.account(result, started, mark)
            self.add(result)
            self.failed = not result.ok

    def add(self, result: BlockResult) -> None:
        """Keep a block's result, and say how it went."""
        self.results.append(result)
        version = "" if result.version is None else f" v{result.version}"
        new = "" if result.new_version is None else f" -> v{result.new_version}"
        calls = f", {result.llm_calls} LLM call{'' if result.llm_calls == 1 else 's'}" if result.llm_calls else ""
        outcome = "ok" if result.ok else "FAILED"
        self.say(f"[{result.label}] {outcome}: {result.mode}{version}{new}, {result.seconds:.2f}s{calls}"
                 + (f"; {result.message}" if result.message else ""))

    def say(self, line: str) -> None:
        """One line of live progress, redacted, when someone listens."""
        if self.progress is not None:
            self.progress(self.redactor(line))

    def step_done(self, block: str, step: StepReport) -> None:
        """Live progress for one step, whoever ran it."""
        how = {"code": "", "healed": " HEALED", "agent": " agent"}[step.mode]
        via = f"  via fallback #{step.candidate}: {step.selector}" if step.fallback and step.selector else ""
        error = "" if step.ok else f"  FAILED: {step.error}"
        self.say(f"[{block}]   {step.step_id:<8} {step.action:<14} {step.seconds:6.2f}s{how}  {step.intention[:70]}{via}{error}")

    def account(self, result: BlockResult, started: float, mark: int) -> None:
        """Time and model use of one block, from the run's usage since `mark`."""
        used = self.usage.since(mark)
        result.seconds = round(time.perf_counter() - started, 3)
        result.llm_calls, result.cost_usd = used.llm_calls, used.cost_usd
        result.failed_llm_calls = used.failed_calls
        result.prompt_tokens, result.completion_tokens = used.prompt_tokens, used.completion_tokens

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

    # --- what cached blocks share -------------------------------------------------

    def slot(self, block: Any, branch: str) -> Slot:
        """The cache slot of a cached block on this branch."""
        return Slot(self.workflow.id, self.cache_key, block.label, branch)

    def goal(self, block: Any, scope: dict[str, Any]) -> str:
        """The block's goal, rendered; a login block without one gets the standard login goal."""
        where = f"block {block.label}: goal"
        if isinstance(block, LoginBlock):
            text = block.goal or (
                f"Log in: type the parameter `{block.username}` as the user name and the secret parameter "
                f"`{block.password}` as the password, submit, and complete once logged in."
            )
            return render(text, self.context(scope), where)
        return render(block.goal, self.context(scope), where)

    def task(self, block: Any, scope: dict[str, Any], goal: str) -> Task:
        """What the agent is given for this block: the goal, the parameters, secrets by name, the outputs."""
        outputs = {block.output_name: block.json_schema} if isinstance(block, ExtractionBlock) else {}
        params = {**self.params, **self.loop_params(scope)}
        origins = destinations(self.workflow, self.params).secret_origins(self.workflow, self.replay_options.base_url)
        return Task(goal=goal, params=params, secrets=dict(self.secrets), outputs=outputs, secret_origins=origins)

    def llm(self) -> LLM:
        """The run's one model client; the only way any block reaches the model."""
        if self.run_with == "code_only":
            raise ConfigError("run_with='code_only' never asks the model (run with code to let it heal or record)")
        if self._llm is None:
            self._llm = LLM(self.config or AgentConfig.from_env(), self.usage)
        return self._llm

    def heal_blocked(self, version: Version) -> str:
        """Why a divergence of `version` must not be healed (no model call at all), or "" when it may be."""
        if version.pinned:
            return f"version {version.version} is pinned"
        if self.run_with == "code_only":
            return "run_with='code_only' never asks the model"
        if not self.heal:
            return "healing is off"
        return ""

    def store(
        self, slot: Slot, trace: Trace, origin: Any, *, healing: bool = False, parent: int | None = None
    ) -> tuple[Version | None, str]:
        """Compile and cache a new version, unless the slot is pinned or keeps needing heals.

        A heal names the version it started from (`parent`); the store refuses a second heal of it. When
        the cache cannot take it (a corrupt page, the file deleted, a full disk), the trace is saved beside
        the report.
        """
        trace = redact_trace(trace, self.redactor)  # no secret reaches the trace, the script or the cache row
        try:
            return self._store(slot, trace, origin, healing, parent)
        except (CacheError, OSError) as exc:
            saved = self.recover(slot, trace)
            return None, self.redactor(f"could not cache the new version ({exc}); {saved}")

    def recover(self, slot: Slot, trace: Trace) -> str:
        """Save a trace the cache could not take; says where (or that even that failed)."""
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in f"{slot.block}{slot.branch}")[:80]
        path = self.run_dir / "recovered" / f"{name}.trace.json"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_trace(trace, path)
        except OSError as exc:
            return f"the recorded trace could not be saved either: {exc}"
        self.warnings.append(f"block {slot.block}: the recorded trace is saved in {path} (the cache failed)")
        return f"the recorded trace is saved in {path}"

    def _store(
        self, slot: Slot, trace: Trace, origin: Any, healing: bool, parent: int | None
    ) -> tuple[Version | None, str]:
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
        try:
            return self.cache.add(slot, trace, source, run_id=self.run_id, origin=origin, parent=parent), ""
        except DuplicateHeal as exc:
            return None, str(exc)

    def add_variables(self, variables: dict[str, str]) -> None:
        """Ids the block captured (issue 12), in `outputs["vars"]` beside the earlier blocks' ones."""
        if variables:
            self.outputs["vars"] = {**self.outputs.get("vars", {}), **variables}
        elif not self.outputs.get("vars"):
            self.outputs.pop("vars", None)

    def follow_new_page(self, before: set[Page]) -> None:
        """A replayed click that opened a tab moved the script there; the next block continues there too."""
        opened = [p for p in self.page.context.pages if p not in before and not p.is_closed()]
        if opened:
            self.page = opened[-1]

    # --- the end ----------------------------------------------------------------

    def finish(self) -> RunResult:
        """The run's result, redacted, written as result.json and report.html in the run's folder."""
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
            failed_llm_calls=self.usage.failed_calls,
            prompt_tokens=self.usage.prompt_tokens,
            completion_tokens=self.usage.completion_tokens,
            cost_usd=self.usage.cost_usd,
            message=f"block {failing.label} failed: {failing.message}" if failing else "",
            playwright_trace=self.trace_zip,
        )
        result.warnings = [*self.redactor.warnings(), *self.warnings]
        # Redacted value by value, so a secret such as `code` cannot rewrite a field the result needs (`mode`).
        safe = RunResult.model_validate(self.redactor.data(result.model_dump(mode="json")))
        try:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            safe.report = str(self.run_dir / "report.html")
            write_report(safe, self.run_dir / "report.html", self.redactor)
            write_atomic(self.run_dir / "result.json", safe.model_dump_json(indent=2))
        except OSError as exc:  # a full disk: the result is still returned and printed
            safe.report = None
            safe.warnings.append(f"the report could not be written to {self.run_dir}: {exc}")
        return safe
