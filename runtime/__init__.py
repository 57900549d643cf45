"""Runtime: the small library generated scripts call to locate, verify, act and report divergence."""

from ._browser import CHROMIUM_ARGS, BrowserUnavailable, browser_problem, launch_chromium, system_chromium
from ._enrich import Enrichment, StepFindings
from ._errors import CandidateOutcome, Divergence, DivergenceError, Reason, TaskTerminated
from ._extract import FieldSpec, field
from ._intent import announced, contradiction
from ._options import Healer, HealRequest, Options
from ._results import StepResult
from ._score import WEIGHTS, score
from ._screens import masked_screenshot
from ._script import ScriptError, load_params, load_script
from ._steps import Steps
from ._urls import rebase, url_matches

__all__ = [
    "CHROMIUM_ARGS",
    "WEIGHTS",
    "BrowserUnavailable",
    "CandidateOutcome",
    "Divergence",
    "DivergenceError",
    "Enrichment",
    "FieldSpec",
    "HealRequest",
    "Healer",
    "Options",
    "Reason",
    "ScriptError",
    "StepFindings",
    "StepResult",
    "Steps",
    "TaskTerminated",
    "announced",
    "browser_problem",
    "contradiction",
    "field",
    "launch_chromium",
    "load_params",
    "load_script",
    "masked_screenshot",
    "rebase",
    "score",
    "system_chromium",
    "url_matches",
]
