"""Flows recorded on the adversarial pages, and what replaying each on each variant must end in.

Every outcome is either a divergence with the reason named here, or a completion that the server's
own record (`AdversarialSite.events`) confirms. A replay that finishes while the server did something
else, or diverges while the server already did something, is a wrong-element run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page

from tracer import Recorder, Trace, load_trace, param

from .server import AdversarialSite

__all__ = ["SCENARIOS", "Scenario", "judge"]


async def _newsletter(page: Page, url: str) -> Recorder:
    rec = Recorder(page, trace_id="newsletter", title="Subscribe to the newsletter")
    await rec.goto(url + "/newsletter", "Open the newsletter page")
    await rec.click(page.get_by_role("button", name="Subscribe", exact=True), "Subscribe")
    return rec


async def _orders(page: Page, url: str) -> Recorder:
    rec = Recorder(page, trace_id="cancel-order", title="Cancel order 1002")
    await rec.goto(url + "/orders", "Open the orders")
    row = page.get_by_role("row").filter(has_text="Order 1002")
    await rec.click(row.get_by_role("button", name="Cancel"), "Cancel order 1002")
    return rec


async def _todos(page: Page, url: str) -> Recorder:
    rec = Recorder(page, trace_id="todos", title="Tick 'Walk the dog' and clear completed items")
    await rec.goto(url + "/todos", "Open the todo list")
    item = page.get_by_role("listitem").filter(has_text="Walk the dog")
    await rec.set_checked(item.get_by_role("checkbox"), True, "Tick 'Walk the dog'")
    await rec.click(page.get_by_role("button", name="Clear completed"), "Clear completed items")
    return rec


async def _account(page: Page, url: str) -> Recorder:
    rec = Recorder(page, trace_id="account", title="Save the profile")
    await rec.goto(url + "/account", "Open the account page")
    await rec.click(page.get_by_role("button", name="Save profile"), "Save the profile")
    return rec


async def _items(page: Page, url: str) -> Recorder:
    rec = Recorder(page, trace_id="items", title="Create an item and open it", params={"title": "Blue kettle"})
    await rec.goto(url + "/items", "Open the items")
    await rec.fill(page.get_by_label("Title"), param("title"), "Name the new item")
    await rec.click(page.get_by_role("button", name="Create"), "Create it")
    await rec.click(page.get_by_role("link", name="Blue kettle"), "Open the item just created")
    return rec


async def _bin(page: Page, url: str) -> Recorder:
    rec = Recorder(page, trace_id="bin", title="Empty the bin")
    await rec.goto(url + "/bin", "Open the bin")
    await rec.click(page.get_by_role("button", name="Empty bin"), "Empty the bin, confirming it")
    return rec


@dataclass(frozen=True)
class Scenario:
    """A flow, the server events that mean it was done, and the expected outcome per variant."""

    record: Callable[[Page, str], Awaitable[Recorder]]
    done: tuple[tuple[str, ...], ...]
    outcomes: dict[str, str]
    """variant ("" for none) -> "completed" or the divergence reason."""
    params: dict[str, Any] = field(default_factory=dict)
    same_server: bool = False
    """Replay on the server the recording ran on (its data still there), not on a fresh one."""
    refused: tuple[tuple[str, ...], ...] = ()
    """Events of the right element that the server turned down (the flow then rightly diverges)."""

    async def trace(self, page: Page, url: str, folder: Path, name: str) -> Trace:
        rec = await self.record(page, url)
        path = folder / f"{name}.json"
        rec.save(path)
        return load_trace(path)

    async def trace_on_new_site(self, browser: Browser, folder: Path, name: str) -> tuple[Trace, AdversarialSite]:
        """The flow recorded on a site started for it, in a context of its own; the site is left running (and
        stopped when the recording fails)."""
        site = AdversarialSite().start()
        try:
            context = await browser.new_context()
            try:
                return await self.trace(await context.new_page(), site.url, folder, name), site
            finally:
                await context.close()
        except BaseException:
            site.stop()
            raise


SCENARIOS: dict[str, Scenario] = {
    "newsletter": Scenario(
        _newsletter,
        done=(("subscribe",),),
        refused=(("subscribe_failed",),),
        outcomes={
            "": "completed",
            "substring_names": "completed",
            "iframe_beside": "completed",
            # Lean candidates (no positional path beside a name and an id) find nothing where the original
            # was: the decoy is not even a match, and the report's near-miss shows it.
            "decoy_after_removal": "element_missing",
            "hidden_original": "fingerprint_mismatch",
            "same_address_decoy": "fingerprint_mismatch",
            "form_retargeted": "fingerprint_mismatch",
            "iframe_same_text": "element_missing",
            "banner_failure": "postcondition_failed",
        },
    ),
    "orders": Scenario(
        _orders,
        done=(("cancel", "1002"),),
        outcomes={
            "": "completed",
            "reordered": "completed",
            "resorted_new_row": "completed",
            "row_removed": "fingerprint_mismatch",
        },
    ),
    "todos": Scenario(
        _todos,
        done=(("toggle", "Walk the dog"), ("clear", "Walk the dog")),
        outcomes={"": "completed", "reordered": "completed", "item_removed": "fingerprint_mismatch"},
    ),
    "account": Scenario(
        _account,
        done=(("save_profile", "Ada"),),
        outcomes={
            "": "completed",
            "moving_button": "completed",
            "relabel_before": "fingerprint_mismatch",
            "relabel_during": "fingerprint_mismatch",
            "overlay": "action_failed",
            # The button lives in an iframe now; what is left on the page (Delete account) is no match.
            "iframe_same_text": "element_missing",
        },
    ),
    "bin": Scenario(
        _bin,
        done=(("empty_bin",),),
        # Another question in the dialog: it is dismissed, nothing is sent.
        outcomes={"": "completed", "dialog_changed": "postcondition_failed"},
    ),
    "items": Scenario(
        _items,
        done=(("create", "Red kettle"), ("open", "Red kettle")),
        # The link to the item created while recording is still there; it must not stand in for the new
        # one: the link's name is a template over the title, so this run opens the item it created.
        outcomes={"": "completed"},
        params={"title": "Red kettle"},
        same_server=True,
    ),
}


def judge(scenario: Scenario, site: AdversarialSite, events_before: int, error: BaseException | None) -> str:
    """"completed", the divergence reason, or "completed_wrong" / "diverged_after_harm" by the server's record."""
    events = site.events[events_before:]
    if error is None:
        return "completed" if tuple(events) == scenario.done else "completed_wrong"
    reason = getattr(getattr(error, "divergence", None), "reason", type(error).__name__)
    # Opening a page is harmless only when the flow meant to open it.
    harmful = [e for e in events if e not in scenario.done and e not in scenario.refused]
    return "diverged_after_harm" if harmful else str(reason)
