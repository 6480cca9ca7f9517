"""The web app in a real browser: Debian's headless Chromium, driven by Playwright, against a
real ``newsweave serve`` on loopback over the demo store. Screenshots go to docs/.

scripts/test installs chromium when it is missing and sets NEWSWEAVE_BROWSER_TESTS=required,
so there a missing browser fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsweave import Newsweave
from newsweave.web.process import serving

TOKEN = "browser-test-token"
DOCS = Path(__file__).resolve().parent.parent / "docs"
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--metrics-recording-only",
]
HOSTILE = {
    "title": "<script>window.__pwned='title'</script><img src=x "
    "onerror=\"window.__pwned='img'\">Quay strike ends",
    "source": "Evil <b onmouseover=\"window.__pwned='outlet'\">Gazette</b>",
    "published": "2023-12-05T09:00:00+00:00",
    "text": (
        "Dockers on the Quay of Port Aldermoor went back to work on Tuesday. "
        "<svg onload=\"window.__pwned='svg'\"></svg> The union said the strike was over. "
        '"><script>alert(1)</script> "We won <img src=x onerror=alert(2)>," '
        "said Mara Quillon, the union's spokeswoman. "
        "<a href=\"javascript:window.__pwned='link'\">details</a> {{ 7*7 }} ${7*7}"
    ),
}
FORBIDDEN_IN_DOM = """() => {
  const handlers = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith("on")) handlers.push(element.tagName + "@" + attribute.name);
      if (/^\\s*javascript:/i.test(attribute.value)) handlers.push(element.tagName + ":js-url");
    }
  }
  const inline = [...document.scripts].filter((s) => !s.src).length;
  const injected = document.querySelectorAll("img[src='x'], svg, iframe, object, embed").length;
  return {handlers, inline, injected, pwned: window.__pwned ?? null};
}"""


@dataclass
class Watched:
    """What a page did that it must not: dialogs, page errors, CSP refusals."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return not (self.dialogs or self.errors or self.refused)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("browser") / "demo.db")
    with Newsweave(db) as news:
        news.ingest_demo()
    with serving(db, token=TOKEN) as base:
        _post(base, HOSTILE)
        yield base


def _post(base: str, record: dict[str, str]) -> None:
    answer = httpx.post(
        f"{base}/api/v1/articles",
        json=record,
        params={"wait": "true"},  # a POST is a queued job: wait for it to be ingested
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=120,
    )
    assert answer.status_code == 201, answer.text


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if BROWSER is None:
        if os.environ.get("NEWSWEAVE_BROWSER_TESTS") == "required":
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed (scripts/test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=BROWSER, headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, Watched]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    watched = Watched()

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            watched.refused.append(message.text)

    opened.on("dialog", on_dialog)
    opened.on("pageerror", lambda error: watched.errors.append(str(error)))
    opened.on("console", on_console)
    yield opened, watched
    context.close()


def _shot(page: Any, name: str) -> None:
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / name), full_page=True)


def _headings(page: Any) -> list[str]:
    return [text.strip() for text in page.locator("h1, h2").all_inner_texts()]


def _inert(page: Any, watched: Watched) -> None:
    found = page.evaluate(FORBIDDEN_IN_DOM)
    assert found == {"handlers": [], "inline": 0, "injected": 0, "pwned": None}, found
    assert watched.clean(), watched


def test_timeline_lists_storylines_and_links_their_events(
    site: str, page: tuple[Any, Watched]
) -> None:
    browser_page, watched = page
    browser_page.goto(f"{site}/")
    headings = _headings(browser_page)
    assert headings[0] == "Storylines and events"
    assert any(h.startswith("Dovlan · Highlands · Tavro") for h in headings)
    assert any(h.startswith("Aldermoor · Port · Calloway") for h in headings)
    timeline = browser_page.locator("ol.timeline").first
    assert timeline.locator("li").count() == 3  # the Kestria storyline's three events
    _shot(browser_page, "web-timeline.png")
    browser_page.get_by_role("link", name="Kestria takes over Camp Halden").click()
    browser_page.wait_for_url("**/events/ev-af8f6161e8dd")
    assert browser_page.locator("h1").inner_text().startswith("Kestria takes over Camp Halden")
    _inert(browser_page, watched)


def test_event_page_shows_the_comparison(site: str, page: tuple[Any, Watched]) -> None:
    browser_page, watched = page
    browser_page.goto(f"{site}/events/ev-af8f6161e8dd")
    headings = " | ".join(_headings(browser_page))
    for section in (
        "Summary",
        "Articles",
        "Facts reported by several outlets",
        "Conflicts",
        "Quote variants",
        "Citations and copying",
        "Framing",
    ):
        assert section in headings, section
    body = browser_page.locator("body").inner_text()
    assert "More than 2,200" in body and "strongman" in body
    _shot(browser_page, "web-event.png")
    _inert(browser_page, watched)


def test_actor_page_shows_aliases_quotes_actions_and_related(
    site: str, page: tuple[Any, Watched]
) -> None:
    browser_page, watched = page
    browser_page.goto(f"{site}/actors/Marek Dovlan")
    assert browser_page.locator("h1").inner_text().startswith("Marek Dovlan")
    headings = " | ".join(_headings(browser_page))
    for section in ("Quotes over time", "Actions given", "Actions received", "Related actors"):
        assert section in headings, section
    assert browser_page.locator("span.tag").count() >= 2  # names as written
    related = browser_page.locator("a.tag")
    assert related.count() >= 3
    related.filter(has_text="Kestria").first.click()
    browser_page.wait_for_load_state()
    assert browser_page.locator("h1").inner_text().startswith("Kestria")
    browser_page.go_back()
    _shot(browser_page, "web-actor.png")
    _inert(browser_page, watched)


def test_search_form_finds_by_text_and_outlet(site: str, page: tuple[Any, Watched]) -> None:
    browser_page, watched = page
    browser_page.goto(f"{site}/search")
    browser_page.fill("input[name=q]", "Aldermoor")
    browser_page.press("input[name=q]", "Enter")
    browser_page.wait_for_url("**/search?q=Aldermoor*")
    results = browser_page.locator("body").inner_text()
    assert "Port Aldermoor" in results
    _shot(browser_page, "web-search.png")
    browser_page.fill("input[name=since]", "soon")
    browser_page.press("input[name=since]", "Enter")
    browser_page.wait_for_load_state()
    assert "not a date" in browser_page.locator("body").inner_text()
    _inert(browser_page, watched)


def test_hostile_article_stays_text_everywhere(site: str, page: tuple[Any, Watched]) -> None:
    browser_page, watched = page
    found = httpx.get(f"{site}/api/v1/search", params={"q": "Quillon"}).json()["items"]
    article = found[0]
    event_id = httpx.get(f"{site}/api/v1/articles/{article['id']}").json()["event_id"]
    for url in (
        f"/articles/{article['id']}",
        f"/events/{event_id}",
        "/",
        "/search?q=Quay",
        "/live",
    ):
        browser_page.goto(f"{site}{url}")
        browser_page.wait_for_load_state("networkidle")
        text = browser_page.locator("body").inner_text()
        assert "Quay strike ends" in text, url
        if url.startswith("/articles/"):
            assert "<script>window.__pwned='title'</script>" in text  # shown, not run
            assert "{{ 7*7 }}" in text
        _inert(browser_page, watched)


def test_live_view_shows_new_articles_as_they_arrive(site: str, page: tuple[Any, Watched]) -> None:
    browser_page, watched = page
    browser_page.goto(f"{site}/live")
    assert "Latest events" in _headings(browser_page)
    counts_before = browser_page.locator("#counts").inner_text()
    fresh = {
        "title": "Ferry timetable restored on the Wend",
        "source": "Wend Valley Courier",
        "published": "2023-12-06T08:00:00+00:00",
        "text": "The Wend ferry ran on its full timetable again on Wednesday, the operator "
        "said, a week after high water closed both landings.",
    }
    _post(site, fresh)
    arrived = browser_page.locator("#articles li a", has_text="Ferry timetable restored")
    arrived.wait_for(timeout=20_000)
    assert browser_page.locator("#counts").inner_text() != counts_before
    assert browser_page.locator("#articles li").first.inner_text().startswith("Ferry timetable")
    _shot(browser_page, "web-live.png")
    _inert(browser_page, watched)
