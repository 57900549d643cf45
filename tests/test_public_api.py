"""Each package's public names are exactly the intended ones, and every one of them says what it is."""

from __future__ import annotations

import ast
import importlib
import inspect
from types import ModuleType

import pytest

PUBLIC = {
    "tracer": [
        "Action", "AssertAction", "Block", "Box", "Candidate", "ClickAction", "Column", "CompleteAction",
        "Context", "DEVTOOLS_ACTIONS", "DevtoolsChangeAction", "DevtoolsClickAction", "DevtoolsCloseAction",
        "DevtoolsElement", "DevtoolsHoverAction", "DevtoolsKeyAction", "DevtoolsNavigateAction",
        "DevtoolsNavigation", "DevtoolsNetworkAction", "DevtoolsScrollAction", "DevtoolsSetViewportAction",
        "DevtoolsWaitForElementAction", "DevtoolsWaitForExpressionAction", "DialogShown", "DownloadAction",
        "ElementState", "ElementText", "ExtractAction", "ExtractField", "FieldValue", "FillAction",
        "Fingerprint", "GotoAction", "HoverAction", "IS_VISIBLE", "ImportError_", "ImportResult", "Lift",
        "LiteralValue", "MAX_DEPTH", "ParamRef", "Parameter", "Postcondition", "PressAction", "READ_ONE",
        "READ_ROWS", "Recorder", "RecorderError", "Redactor", "Ref", "RequestMade", "RunData",
        "SCHEMA_VERSION", "Scope", "ScrollAction", "SecretRef", "SelectOptionAction", "SetCheckedAction",
        "SetViewportAction", "ShapeError", "Step", "Target", "Template", "TerminateAction", "Trace",
        "TraceError", "UploadFileAction", "UrlMatches", "Value", "WaitForAction", "canonical_json",
        "canonical_url", "check_shape", "coerce", "format_trace", "import_devtools", "is_routing_fragment",
        "is_weak_secret", "load_trace", "loads_json", "locator_for", "number_problem", "origin_of",
        "page_script", "param", "parse_lift", "parse_trace", "read_values", "record_target", "redact",
        "redact_trace", "secret", "terminal_safe", "terminal_safe_json", "trace_from_data", "trace_sha256",
        "unsafe_parameter_name", "url_condition", "url_pattern", "url_template", "validation_problems",
        "write_atomic", "write_trace",
    ],
    "tracer.sync_api": ["Recorder", "RecorderError", "param", "secret"],
    "codegen": [
        "BLACK_MODE", "CompileResult", "comment_lines", "compile_trace", "format_source", "literal",
        "locator_expression",
    ],
    "runtime": [
        "BrowserUnavailable", "CHROMIUM_ARGS", "CandidateOutcome", "Divergence", "DivergenceError",
        "Enrichment", "FieldSpec", "HealRequest", "Healer", "Options", "Reason", "ScriptError",
        "StepFindings", "StepResult", "Steps", "TaskTerminated", "WEIGHTS", "announced", "browser_problem",
        "contradiction", "field", "launch_chromium", "load_params", "load_script", "masked_screenshot",
        "rebase", "score", "system_chromium", "url_matches",
    ],
    "agent": [
        "Agent", "AgentConfig", "AgentResult", "Answer", "ConfigError", "DEFAULT_PRICES", "Decision",
        "Element", "LLM", "LLMCall", "LLMError", "LocateAnswer", "LocateResult", "Observation", "Price",
        "StepOutcome", "Task", "Usage", "ask_page", "locate", "observe", "price_for", "redact",
    ],
    "encore": [
        "AsyncClient", "AuthenticationError", "BlockResult", "Cache", "CacheError", "Client", "ConflictError",
        "DEFAULT_CACHE", "DEFAULT_RUNS", "EXIT_CODES", "EncoreAPIError", "InvalidRequestError",
        "NotFoundError", "PermissionDeniedError", "Repair", "RunRefused", "RunResult", "Slot", "StepReport",
        "Store", "TemplateProblem", "Version", "WebhookVerificationError", "Workflow", "WorkflowError",
        "load_workflow", "parse_workflow", "run_task", "run_workflow", "verify_webhook",
    ],
    "encore.sync_api": ["run_task", "run_workflow"],
}


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_exported_members(package: str) -> None:
    module = importlib.import_module(package)
    assert sorted(module.__all__) == sorted(PUBLIC[package]), "a public name was added or removed: update PUBLIC"
    for name in module.__all__:
        assert hasattr(module, name), f"{package}.{name} is exported but not defined"


def _undocumented(package: str) -> list[str]:
    module = importlib.import_module(package)
    missing = []
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isroutine(value) or hasattr(value, "__wrapped__"):
            if not _own_doc(value):
                missing.append(name)
            if inspect.isclass(value):
                missing += [f"{name}.{member}" for member in _undocumented_members(value)]
        elif not _attribute_doc(module, name):
            missing.append(name)
    return missing


def _own_doc(value: object) -> bool:
    doc = (getattr(value, "__doc__", None) or "").strip()
    if inspect.isclass(value):
        inherited = any(doc == (getattr(base, "__doc__", None) or "").strip() for base in value.__mro__[1:])
        generated = doc.startswith(f"{value.__name__}(")  # what @dataclass writes when there is none
        return bool(doc) and not inherited and not generated
    return bool(doc)


def _undocumented_members(cls: type) -> list[str]:
    missing = []
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        function = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
        if inspect.isfunction(function) and not (function.__doc__ or "").strip():
            missing.append(name)
    return missing


def _attribute_doc(package: ModuleType, name: str) -> bool:
    """A constant or type alias is documented by the string right after its assignment, where it is defined."""
    root = package.__name__.split(".")[0]
    for module_name in sorted(m for m in list(importlib.sys.modules) if m == root or m.startswith(root + ".")):
        module = importlib.sys.modules[module_name]
        try:
            tree = ast.parse(inspect.getsource(module))
        except (OSError, TypeError):
            continue
        for node, following in zip(tree.body, tree.body[1:]):
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return isinstance(following, ast.Expr) and isinstance(getattr(following, "value", None), ast.Constant)
    return False


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_every_public_name_has_a_docstring(package: str) -> None:
    assert _undocumented(package) == []
