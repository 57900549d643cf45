"""The score and its mismatches, measured on the same element across releases and on its look-alikes."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from runtime import Options

from .calibration.measure import Measured, measure, summary


@pytest.fixture
async def measured(page: Page) -> list[Measured]:
    return await measure(page)


async def test_no_look_alike_is_accepted_and_the_same_element_nearly_always_is(measured: list[Measured]) -> None:
    threshold = Options().min_score
    figures = summary(measured, threshold)
    wrong = [f"{r.case}: {r.pair.recorded} -> {r.pair.live} ({r.score})" for r in measured if not r.pair.same and r.accepted(threshold)]
    assert wrong == [], "look-alikes accepted"
    assert figures["different"] >= 40 and figures["same"] >= 35
    missed = [f"{r.case}: {r.pair.recorded} ({r.score}, {r.mismatch})" for r in measured
              if r.pair.same and not r.pair.changed and not r.accepted(threshold)]
    assert figures["same_accepted"] >= 0.95 * figures["same"], missed


async def test_an_element_whose_words_or_form_a_release_changed_waits_for_a_heal(measured: list[Measured]) -> None:
    figures = summary(measured, Options().min_score)
    assert figures["changed"] and figures["changed_accepted"] == 0


async def test_the_page_and_python_give_the_same_verdict(measured: list[Measured]) -> None:
    for r in measured:
        assert (r.score, r.mismatch) == r.python, f"{r.case}: {r.pair}"
