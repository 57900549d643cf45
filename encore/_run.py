"""One run of a workflow: the state its blocks share, dispatch to one handler per block kind, the result."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from agent import LLM, AgentConfig, ConfigError, LLMError, Task, Usage, redact
from codegen import compile_trace
from runtime import Options, ScriptError
from tracer import Trace, write_atomic

from ._cache import Cache, Slot, Version
from ._params import Scalar
from ._report import write_report
from ._result import BlockResult, RunResult
from ._templates import TemplateProblem, render
from ._workflow import ExtractionBlock, LoginBlock, Workflow, WorkflowError

__all__ = ["Engine", "Run", "RunWith"]

RunWith = Literal["code", "agent"]
Engine = Literal["record", "off"]


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
        """Run `blocks` in order until one fails; each result is accounted and kept."""
        from ._blocks import handler_for  # the handlers call back into `blocks` for nested ones

        for block in blocks:
            if self.failed:
                return
            started, mark = time.perf_counter(), self.usage.llm_calls
            try:
                result = await handler_for(block)(self, block, branch, scope)
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
        return Slot(self.workflow.id, self.cache_key, block.label, branch)

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
