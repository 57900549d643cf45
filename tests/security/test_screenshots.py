"""Class 2, screenshots: password fields, and every element whose value or text holds a secret, are painted
over in divergence screenshots and in the screenshots the model sees (Playwright's `mask`), while the rest of
the page stays visible. The pixels are read back in the browser, through a canvas."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from playwright.async_api import Page
from pydantic import BaseModel, SecretStr

from agent import observe
from agent._prompts import redactor
from runtime import DivergenceError, Options, Steps, masked_screenshot
from tracer import Redactor

from .test_secret_scan import FOUR, LONG, ONE

PAGE = """<style>body{{margin:0;font:20px sans-serif;background:#fff}} div,input{{display:block;margin:8px;width:300px;height:30px}}</style>
<input id="shown" type="text" value="{value}">
<input id="hidden" type="password" value="{value}">
<div id="echo">You typed {text}</div>
<div id="plain">Nothing secret here</div>"""
MAGENTA = (255, 0, 255)
_PIXELS = """async ([url, points]) => {
  const img = new Image();
  img.src = url;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  return points.map(([x, y]) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3)));
}"""


async def _page(page: Page, secret: str) -> None:
    import html

    await page.set_content(PAGE.format(value=html.escape(secret, quote=True), text=html.escape(secret)))


async def _colours(page: Page, image: bytes, kind: str, ids: list[str]) -> dict[str, tuple[int, ...]]:
    points = []
    for element in ids:
        box = await page.locator(f"#{element}").bounding_box()
        assert box is not None
        points.append([int(box["x"] + box["width"] / 2), int(box["y"] + box["height"] / 2)])
    url = f"data:image/{kind};base64," + base64.b64encode(image).decode()
    viewer = await page.context.new_page()  # decode elsewhere: the page under test stays as it was
    try:
        colours = await viewer.evaluate(_PIXELS, [url, points])
    finally:
        await viewer.close()
    return {element: tuple(colour) for element, colour in zip(ids, colours)}


def _near(colour: tuple[int, ...], target: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, target))


@pytest.mark.parametrize("secret", [LONG, FOUR, ONE], ids=["long", "four", "one"])
async def test_secret_fields_and_echoes_are_masked_and_the_rest_is_not(page: Page, secret: str) -> None:
    await _page(page, secret)
    image = await masked_screenshot(page, Redactor({"password": secret}))
    colours = await _colours(page, image, "png", ["shown", "hidden", "echo", "plain"])
    assert _near(colours["shown"], MAGENTA) and _near(colours["hidden"], MAGENTA)
    # A weak secret is found only where it is the whole value; the echo inside a sentence is not (and warned of).
    assert _near(colours["echo"], MAGENTA) == (secret != ONE)
    assert not _near(colours["plain"], MAGENTA)
    assert await page.locator("[data-encore-mask]").count() == 0  # the page is left as it was


async def test_the_divergence_screenshot_is_masked(page: Page, tmp_path: Path) -> None:
    class Params(BaseModel):
        password: SecretStr

    await _page(page, LONG)
    steps = Steps(page, Params(password=SecretStr(LONG)), {"s1": {"intention": "check"}}, start_url="about:blank",
                  options=Options(artifacts_dir=tmp_path, locate_timeout=0.2, postcondition_timeout=0.2))
    with pytest.raises(DivergenceError) as info:
        await steps.expect_text("s1", [page.locator("#plain")], "something else")
    shot = Path(info.value.divergence.screenshot or "")
    colours = await _colours(page, shot.read_bytes(), "png", ["shown", "echo", "plain"])
    assert _near(colours["shown"], MAGENTA) and _near(colours["echo"], MAGENTA)
    assert not _near(colours["plain"], MAGENTA)


async def test_the_model_sees_a_masked_screenshot_and_redacted_values(page: Page) -> None:
    await _page(page, LONG)
    observation = await observe(page, screenshot=True, redactor=redactor({"password": LONG}))
    assert observation.screenshot is not None
    colours = await _colours(page, observation.screenshot, "jpeg", ["shown", "echo", "plain"])
    assert _near(colours["shown"], MAGENTA) and _near(colours["echo"], MAGENTA)
    assert not _near(colours["plain"], MAGENTA)
    rendered = observation.render()
    assert LONG not in rendered and "[secret:password]" in rendered and "Nothing secret here" in rendered
