"""Encore: browser tasks run from cached code first, healed when the page changed, by the agent otherwise.

The product layer above the pipeline (agent/recorder -> trace -> codegen -> script -> runtime): the
version cache, workflows, healing, reports and the `encore` command. Generated scripts import only
`runtime`, so they never load the agent, the model client or the cache.
"""

from ._cache import Cache, CacheError, Slot, Version
from ._preflight import RunRefused
from ._result import EXIT_CODES, BlockResult, Repair, RunResult, StepReport
from ._runner import DEFAULT_CACHE, DEFAULT_RUNS, run_task, run_workflow
from ._store import Store
from ._templates import TemplateProblem
from ._workflow import Workflow, WorkflowError, load_workflow, parse_workflow

__all__ = [
    "DEFAULT_CACHE",
    "DEFAULT_RUNS",
    "EXIT_CODES",
    "BlockResult",
    "Cache",
    "CacheError",
    "Repair",
    "RunRefused",
    "RunResult",
    "Slot",
    "StepReport",
    "Store",
    "TemplateProblem",
    "Version",
    "Workflow",
    "WorkflowError",
    "load_workflow",
    "parse_workflow",
    "run_task",
    "run_workflow",
]
