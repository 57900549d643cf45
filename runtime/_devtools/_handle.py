"""An ElementHandle seen through the few Locator methods post-condition checks and reports use."""

from __future__ import annotations

from typing import Any

from playwright.async_api import ElementHandle

__all__ = ["HandleAsLocator"]


class HandleAsLocator:
    """The element a DevTools step acted on, where `Checks` and `diverge` expect a Locator."""

    def __init__(self, handle: ElementHandle) -> None:
        self.handle = handle

    @property
    def first(self) -> HandleAsLocator:
        return self

    async def evaluate(self, expression: str, arg: Any = None, timeout: float | None = None) -> Any:
        return await self.handle.evaluate(expression, arg)

    async def inner_text(self, timeout: float | None = None) -> str:
        return await self.handle.inner_text()

    async def input_value(self, timeout: float | None = None) -> str:
        return await self.handle.input_value()

    async def is_visible(self) -> bool:
        return await self.handle.is_visible()

    async def is_hidden(self) -> bool:
        return await self.handle.is_hidden()

    async def is_checked(self) -> bool:
        return await self.handle.is_checked()

    async def is_enabled(self) -> bool:
        return await self.handle.is_enabled()

    async def is_disabled(self) -> bool:
        return await self.handle.is_disabled()
