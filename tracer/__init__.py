"""Trace IR: typed, frozen models of a recorded browser run, and reading/writing them."""

from ._files import (
    TraceError,
    canonical_json,
    load_trace,
    parse_trace,
    trace_from_data,
    trace_sha256,
    validation_problems,
    write_atomic,
    write_trace,
)
from ._scripts import page_script
from ._reading import IS_VISIBLE, READ_ONE, READ_ROWS, coerce, read_values
from ._devtools import ImportError_, ImportResult, Lift, import_devtools, parse_lift
from ._show import format_trace
from ._recorder import Recorder, RecorderError, param, record_target, secret
from ._locator import locator_for
from ._limits import MAX_DEPTH, ShapeError, check_shape, loads_json, number_problem
from ._origins import origin_of
from ._secrets import Redactor, is_weak_secret, redact
from ._redact_trace import redact_trace
from ._text import terminal_safe, terminal_safe_json
from ._data import RunData
from ._urls import canonical_url, is_routing_fragment, url_condition, url_pattern, url_template
from ._model import *  # noqa: F403 - the model module's __all__ is the IR's public surface
from ._model import __all__ as _model_all

__all__ = sorted(
    [
        *_model_all,
        "TraceError",
        "IS_VISIBLE",
        "READ_ONE",
        "READ_ROWS",
        "coerce",
        "read_values",
        "canonical_json",
        "format_trace",
        "ImportError_",
        "ImportResult",
        "import_devtools",
        "Lift",
        "parse_lift",
        "param",
        "secret",
        "Recorder",
        "RecorderError",
        "record_target",
        "locator_for",
        "Redactor",
        "ShapeError",
        "check_shape",
        "is_weak_secret",
        "loads_json",
        "MAX_DEPTH",
        "number_problem",
        "origin_of",
        "redact",
        "redact_trace",
        "terminal_safe",
        "terminal_safe_json",
        "RunData",
        "canonical_url",
        "is_routing_fragment",
        "url_condition",
        "url_pattern",
        "url_template",
        "page_script",
        "load_trace",
        "parse_trace",
        "trace_from_data",
        "trace_sha256",
        "validation_problems",
        "write_atomic",
        "write_trace",
    ]
)
