"""A login-and-order flow recorded through the Recorder on the example shop (tests and benchmarks)."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page

from examples.site.server import PASSWORD
from tracer import Recorder, Trace, load_trace, param, secret

__all__ = ["EMAIL", "EXPECTED_ORDER", "record_login_and_order"]

EMAIL = "ada@example.com"
# What the shop's server must have received when the flow really completed.
EXPECTED_ORDER = "Blue mug, size l, gift wrap yes, express shipping, attachment note.txt, notes: Ring twice"


async def record_login_and_order(page: Page, site_url: str, folder: Path) -> Trace:
    """Record the flow on the shop at `site_url`; the trace is written to `folder/recorded.json`."""
    attachment = folder / "note.txt"
    attachment.write_text("fragile", encoding="utf-8")
    rec = Recorder(
        page, trace_id="recorded-order", title="Log in, then order",
        params={"email": EMAIL, "attachment": str(attachment)}, secrets={"password": PASSWORD},
        block="Log in", block_kind="login",
    )
    await rec.goto(site_url + "/login", "Open the login page")
    await rec.fill(page.get_by_label("E-mail"), param("email"), "Type the account e-mail")
    await rec.fill(page.get_by_label("Password"), secret("password"), "Type the password")
    await rec.click(page.get_by_role("button", name="Sign in"), "Sign in")
    rec.block("Order", "action")
    await rec.click(page.get_by_role("link", name="New order"), "Start a new order")
    await rec.fill(page.get_by_label("Product"), "Blue mug", "Name the product")
    await rec.select_option(page.get_by_label("Size"), ["Large"], "Pick the large size")
    await rec.set_checked(page.get_by_label("Gift wrap"), True, "Ask for gift wrap")
    await rec.set_checked(page.get_by_label("Express shipping"), True, "Choose express shipping")
    await rec.upload_file(page.get_by_label("Attachment"), [param("attachment")], "Attach the note")
    await rec.fill(page.get_by_label("Notes"), "Ring twice", "Leave a note")
    await rec.click(page.get_by_role("button", name="Place order"), "Place the order")
    await rec.assert_text(page.get_by_role("status"), "gift wrap yes", "The confirmation repeats the order")
    path = folder / "recorded.json"
    rec.save(path)
    return load_trace(path)
