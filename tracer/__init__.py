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
from ._devtools import ImportError_, ImportResult, import_devtools
from ._show import format_trace
from ._recorder import Recorder, RecorderError, param, record_target, secret
from ._locator import locator_for
from ._data import RunData
from ._urls import canonical_url, is_routing_fragment, url_condition, url_pattern, url_template
from ._model import *  # noqa: F403 - the model module's __all__ is the IR's public surface
from ._model import __all__ as _model_all

__all__ = sorted(
    [
        *_model_all,
        "TraceError",
        "canonical_json",
        "format_trace",
        "ImportError_",
        "ImportResult",
        "import_devtools",
        "param",
        "secret",
        "Recorder",
        "RecorderError",
        "record_target",
        "locator_for",
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
