"""Importer: Chrome DevTools Recorder / @puppeteer/replay recordings to Encore traces with the same semantics."""

from ._fields import Refusal
from ._import import ImportError_, ImportResult, import_devtools
from ._lift import Lift, parse_lift

__all__ = ["ImportError_", "ImportResult", "Lift", "Refusal", "import_devtools", "parse_lift"]
