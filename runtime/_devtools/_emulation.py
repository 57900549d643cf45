"""Device and network emulation as Puppeteer's setViewport and emulateNetworkConditions send it (CDP)."""

from __future__ import annotations

from typing import Any

from playwright.async_api import CDPSession

__all__ = ["network_conditions", "viewport_override"]


def viewport_override(width: int, height: int, scale: float, mobile: bool, landscape: bool) -> dict[str, Any]:
    orientation = {"angle": 90, "type": "landscapePrimary"} if landscape else {"angle": 0, "type": "portraitPrimary"}
    return {"mobile": mobile, "width": width, "height": height, "deviceScaleFactor": scale,
            "screenOrientation": orientation}


async def network_conditions(session: CDPSession, download: float, upload: float, latency: float) -> None:
    await session.send("Network.enable")
    await session.send(
        "Network.emulateNetworkConditions",
        {"offline": not download and not upload, "latency": latency,
         "downloadThroughput": download, "uploadThroughput": upload},
    )
