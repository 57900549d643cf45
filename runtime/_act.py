"""How an action reaches its element, and what the page must still confirm about earlier steps.

Every action names a token (`<replay nonce>.<step id>.<n>`). The element it lands on is remembered in
the page under that token and a guard is armed on it (runtime/js/verify.js): if the page changes the
element between its verification and the action's first input event, the event is blocked and the
page keeps the reason. Values typed by earlier steps, and whether a guard blocked, are confirmed by
the next call the replay makes into that frame (`take_pending`), or by `settle` when none comes.

With the selector engine that state lives in Playwright's isolated world, where the engine runs;
without it (`engine=False`) the probes and `handle` keep it in the page's own world.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from playwright.async_api import ElementHandle, FrameLocator, Page

from tracer import Fingerprint

from ._engine import settle_locator
from ._locate import page_flag
from ._pagejs import verify_library
from ._templates import fingerprint_json

__all__ = ["Acts", "Scope"]

Scope = Page | FrameLocator
FrameKey = tuple[str, ...]

_SETTLE = "(root, [nonce, pending]) => { const lib = %s; lib.settle(nonce, pending); }"
_TAKE = """(root, [token, fp, min, arm]) => {
  const lib = %s;
  const el = lib.state().tokens.get(token);
  if (!el || !el.isConnected) lib.fail("changed:gone");
  if (fp) {
    const verdict = lib.judge(el, fp);
    if (verdict.mismatch || verdict.score < min)
      lib.fail(`changed:mismatch:${JSON.stringify(verdict.mismatch || `score ${verdict.score}`)}`);
  }
  if (arm) lib.arm(el, fp, min, token);
  return el;
}"""


@dataclass
class Acts:
    """Per replay: the nonce its tokens share, and per frame what the next page call must confirm."""

    nonce: str = field(default_factory=lambda: secrets.token_hex(4))
    _count: int = 0
    _pending: dict[FrameKey, list[tuple[str, str]]] = field(default_factory=dict)
    _guarded: dict[FrameKey, str] = field(default_factory=dict)
    """Frame -> the page URL when a guarded action ran there; once the page is elsewhere, that document
    and any block its guard made are gone (a blocked action cannot have navigated)."""
    _expected: dict[str, str] = field(default_factory=dict)

    def token(self, step_id: str) -> str:
        self._count += 1
        return f"{self.nonce}.{step_id}.{self._count}"

    @staticmethod
    def step_of(token: str) -> str:
        """The step id a token was made for."""
        return token.split(".", 1)[-1].rsplit(".", 1)[0]

    def take_pending(self, frame: FrameKey) -> list[tuple[str, str]]:
        """The checks the next call into `frame` carries; that call confirms the frame's guard too."""
        self._guarded.pop(frame, None)
        return self._pending.pop(frame, [])

    def restore(self, frame: FrameKey, pending: list[tuple[str, str]]) -> None:
        """Checks taken for a call that never reached the page (the engine was missing there)."""
        if pending:
            self._pending[frame] = pending + self._pending.get(frame, [])

    def expect_value(self, frame: FrameKey, token: str, value: str) -> None:
        """The field acted on under `token` must still hold `value` when the next call comes."""
        self._pending.setdefault(frame, []).append((token, value))
        self._expected[token] = value

    def expected(self, token: str) -> str | None:
        """The value a field acted on under `token` was to keep."""
        return self._expected.get(token)

    def guarded(self, frame: FrameKey, url: str) -> None:
        self._guarded[frame] = url

    def unsettled(self, url: str) -> set[FrameKey]:
        """Frames with something left to confirm while the page is at `url`."""
        return set(self._pending) | {frame for frame, at in self._guarded.items() if at == url}

    async def settle(self, scope: Scope, frame: FrameKey, *, engine: bool) -> None:
        """Confirm what is left for `frame` now, in one round trip; raises the `PageFlag` the page reports."""
        pending = self.take_pending(frame)
        try:
            if engine:
                await settle_locator(scope, self.nonce, pending).count()
                return
        except Exception as exc:  # noqa: BLE001 - only our own flags matter; a page that went away has none
            flag = page_flag(exc)
            if flag is not None:
                raise flag from None
            if "encore_verify" not in str(exc) and "queryAll" not in str(exc):
                return
            # This document predates the engine: its steps kept their state in the page's own world.
        try:
            await scope.locator(":root").evaluate(_SETTLE % verify_library(), [self.nonce, pending])
        except Exception as exc:  # noqa: BLE001 - as above
            flag = page_flag(exc)
            if flag is not None:
                raise flag from None

    async def handle(
        self, scope: Scope, token: str, recorded: Fingerprint | None, min_score: float, *, arm: bool
    ) -> ElementHandle:
        """The element a probe tagged `token`, verified again and guarded, as a handle (without the engine)."""
        fp = fingerprint_json(recorded)
        handle = await scope.locator(":root").evaluate_handle(_TAKE % verify_library(), [token, fp, min_score, arm])
        element = handle.as_element()
        assert element is not None  # _TAKE returns an element or throws
        return element
