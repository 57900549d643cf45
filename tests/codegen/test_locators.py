"""Codegen's locator expressions and the runtime's locators_for must describe the same element."""

from __future__ import annotations

import libcst as cst
import pytest
from playwright.async_api import Page

from codegen import locator_expression
from runtime._locators import describe, locators_for
from tracer import Candidate, Scope, Target

CANDIDATES = [
    Candidate(strategy="test_id", value="submit"),
    Candidate(strategy="role", value="button", name='Say "hi"', exact=True),
    Candidate(strategy="role", value="textbox"),
    Candidate(strategy="label", value="E-mail"),
    Candidate(strategy="placeholder", value="Search…", exact=True),
    Candidate(strategy="alt", value="Logo"),
    Candidate(strategy="title", value="Close"),
    Candidate(strategy="text", value="Sign in", nth=1),
    Candidate(strategy="css", value="form > input[name='q']"),
    Candidate(strategy="xpath", value="//button[@id='go']"),
    Candidate(
        strategy="role", value="button", name="Cancel", exact=True,
        scope=Scope(strategy="role", value="row", has_text='Order "1002"'),
    ),
    Candidate(strategy="css", value="input.toggle", scope=Scope(strategy="css", value="li.todo", has_text="Pay rent")),
]


@pytest.mark.parametrize("frame_path", [(), ("iframe#pay", "iframe.inner")], ids=["page", "frames"])
@pytest.mark.parametrize("candidate", CANDIDATES, ids=lambda c: c.strategy + ("-scoped" if c.scope else ""))
async def test_generated_expression_matches_runtime_locator(page: Page, candidate: Candidate, frame_path) -> None:
    code = cst.Module(body=[]).code_for_node(locator_expression(candidate, frame_path))
    generated = eval(code, {"page": page})
    (runtime_locator,) = locators_for(page, Target(candidates=(candidate,), frame_path=frame_path))
    assert describe(generated) == describe(runtime_locator)
