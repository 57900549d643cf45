"""One heal per slot, cluster-wide: the slot's heal lock, and what a run does when another run healed first.

A run whose replay of version N diverges takes the slot's heal lock before asking the model anything,
waiting while another run holds it. Holding it, it looks at the slot again: when the newest version is
still N it heals, and stores N+1 with N as its parent; when another run stored a newer version
meanwhile, it does not heal again: a repaired element is taken from that version (and verified like
any target), anything else fails this block and leaves the slot to the version already stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracer import Target

from .._cache import Slot, Version
from .._store import HealLock, acquire

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["HealGuard"]


class HealGuard:
    """The heal lock of one slot for one block of one run; taken on first need, released when the block ends."""

    def __init__(self, run: Run, slot: Slot, version: Version | None) -> None:
        self.run, self.slot, self.version = run, slot, version
        self._lock: HealLock | None = None
        self.held = False
        self.timed_out = False
        self.newer: Version | None = None

    async def claim(self) -> bool:
        """True when this run may heal the slot: it holds the lock and nobody stored a version since it started."""
        if not self.held and not self.timed_out:
            self._lock = self.run.cache.heal_lock(self.slot)
            self.held = await acquire(self._lock, self.run.heal_wait_s)
            self.timed_out = not self.held
            if self.held:
                latest = self.run.cache.latest(self.slot)
                ours = self.version.id if self.version else None
                if latest is not None and latest.id != ours:
                    self.newer = latest
        return self.held and self.newer is None

    def repaired_target(self, step_id: str) -> Target | None:
        """The step's target in the version another run stored, when it differs from the one that failed."""
        if self.newer is None or self.version is None:
            return None
        mine, theirs = _targets(self.version), _targets(self.newer)
        target = theirs.get(step_id)
        return target if target is not None and target != mine.get(step_id) else None

    def why_not(self) -> str:
        """Why this run did not heal (for the block's message)."""
        if self.timed_out:
            return f"another run held the heal of this slot for more than {self.run.heal_wait_s:g}s; not healed"
        if self.newer is not None:
            return (
                f"version {self.newer.version} was stored by run {self.newer.run_id} while this run replayed"
                f" version {self.version.version if self.version else '-'}; the slot is not healed twice"
            )
        return ""

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock, self.held = None, False


def _targets(version: Version) -> dict[str, Target]:
    out: dict[str, Target] = {}
    for block in version.trace().blocks:
        for step in block.steps:
            target = getattr(step.action, "target", None)
            if isinstance(target, Target):
                out[step.id] = target
    return out
