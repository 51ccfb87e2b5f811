"""The web chat in a real browser: Playwright drives Debian's chromium (never a downloaded
browser) against a sandbox in the test's event loop. One browser and one page per module."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Locator, Route, async_playwright, expect
from playwright.async_api import Page as BrowserPage

from bot.sandbox.server import Sandbox
from tests.sandbox.conftest import running_sandbox

CHROMIUM = Path("/usr/bin/chromium")
WAIT_MS = 15_000  # a shared two-core machine under load; a met condition returns at once


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def browser() -> AsyncIterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        await launched.close()


@dataclass
class Chat:
    """The web chat as a person uses it, and every address the page asked for."""

    page: BrowserPage
    sandbox: Sandbox
    requested: list[str] = field(default_factory=list)
    shots: int = 0

    async def be(self, persona: int | str, name: str) -> None:
        """Switch to a persona (or the channel) in the list."""
        testid = "channel" if persona == "channel" else f"persona-{persona}"
        await self.page.get_by_test_id(testid).click()
        await expect(self.page.get_by_test_id("who")).to_have_text(name, timeout=WAIT_MS)

    async def send(self, text: str) -> None:
        await self.page.get_by_test_id("text").fill(text)
        await self.page.get_by_test_id("text").press("Enter")

    def bubble(self, text: str) -> Locator:
        """The last message holding `text`."""
        return self.page.get_by_test_id("message").filter(has_text=text).last

    async def press(self, bubble: str, button: str) -> None:
        """Press an inline button (by the start of its text) under the last such message."""
        found = self.bubble(bubble).get_by_role("button", name=button).first
        try:
            await expect(found).to_be_visible(timeout=WAIT_MS)
        except AssertionError as exc:
            shown = await self.page.get_by_test_id("messages").inner_text()
            problem = f"no button {button!r} under {bubble!r}; the chat:\n{shown}"
            raise AssertionError(problem) from exc
        await found.click()

    async def sees(self, text: str) -> Locator:
        found = self.bubble(text)
        await expect(found).to_be_visible(timeout=WAIT_MS)
        return found

    async def shot(self, folder: Path, step: str) -> None:
        self.shots += 1
        await self.page.screenshot(path=folder / f"{self.shots:02d}-{step}.png")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def chat(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Chat]:
    async with running_sandbox(tmp_path_factory.mktemp("browser")) as (sandbox, url):
        context = await browser.new_context(
            viewport={"width": 1280, "height": 860}, accept_downloads=True, locale="sv-SE"
        )
        outside: list[str] = []

        async def only_here(route: Route) -> None:
            # Anything for another host is refused before it leaves, and fails the module.
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                await route.continue_()
            else:
                outside.append(route.request.url)
                await route.abort()

        await context.route("**/*", only_here)
        page = await context.new_page()
        web = Chat(page, sandbox)
        page.on("request", lambda request: web.requested.append(request.url))
        await page.goto(url)
        yield web
        await context.close()
        assert outside == []
        hosts = {urlsplit(address).hostname for address in web.requested}
        assert hosts == {"127.0.0.1"}, hosts
