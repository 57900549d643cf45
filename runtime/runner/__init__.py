"""The runner: cached code first, healing when the page changed, the agent when there is no code.

Kept apart from `runtime` itself so that generated scripts, which import `runtime`, never load the
agent, the model client or the cache.
"""

from ._cache import Cache, CacheError, Slot, Version
from ._result import EXIT_CODES, BlockResult, RunResult, StepReport
from ._runner import DEFAULT_CACHE, DEFAULT_RUNS, run_task, run_workflow
from ._templates import TemplateProblem
from ._workflow import Workflow, WorkflowError, load_workflow, parse_workflow

__all__ = [
    "BlockResult",
    "Cache",
    "CacheError",
    "DEFAULT_CACHE",
    "DEFAULT_RUNS",
    "EXIT_CODES",
    "RunResult",
    "Slot",
    "StepReport",
    "TemplateProblem",
    "Version",
    "Workflow",
    "WorkflowError",
    "load_workflow",
    "parse_workflow",
    "run_task",
    "run_workflow",
]
