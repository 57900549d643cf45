"""DevTools Recorder steps in the runtime: @puppeteer/replay's semantics, one method per step type."""

from ._steps import DevtoolsSteps

__all__ = ["DevtoolsSteps"]
