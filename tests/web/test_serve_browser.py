"""`searchdoc serve` in a real browser: Debian's Chromium driven by Playwright, against the
server the CLI starts. Skipped, saying why, where no Chromium is installed; never in CI
(`.ci/run` installs it)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

import pytest

CHROMIUM = os.environ.get("SEARCHDOC_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _why_not() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


REASON = _why_not()
if REASON and os.environ.get("CI"):
    raise RuntimeError(f"the browser tests cannot run in CI: {REASON}")
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(collection: Path) -> Iterator[str]:
    """`searchdoc serve` on a free port, stopped by its process id."""
    port = _free_port()
    exe = [sys.executable, "-m", "searchdoc", "serve", "--index", str(collection),
           "--port", str(port)]
    proc = subprocess.Popen(exe, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urlopen(base + "/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            err = proc.stderr.read(500) if proc.stderr else b""
            raise RuntimeError(f"searchdoc serve did not start: {err!r}")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server: str) -> Iterator[object]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()
    assert not errors, errors  # no script error, no CSP violation


def search(page, text: str) -> None:
    page.goto("/")
    page.fill("#q", text)
    page.press("#q", "Enter")
    page.wait_for_selector("#total")


def test_a_latin_query_shows_its_hits_marked(page) -> None:
    search(page, "Hamid the Mute")
    assert "q=Hamid+the+Mute" in page.url  # the state is in the URL
    first = page.locator(".hit").first
    assert first.locator("mark").all_inner_texts()[:2] == ["Hamid", "Mute"]
    assert "seeds/" in first.locator(".where").inner_text()


def test_an_arabic_query_reads_right_to_left(page) -> None:
    search(page, "حسن نصر الله")
    arabic = page.locator('.hit .text[dir="rtl"]').first
    assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert arabic.locator("mark").count() >= 1
    assert page.locator("#q").evaluate("e => getComputedStyle(e).direction") == "rtl"


def test_a_filter_chip_narrows_and_is_removed(page) -> None:
    search(page, "Daqduq")
    before = int(page.locator(".count").inner_text())
    page.locator('.facet[data-facet="folder"] a', has_text="lists").click()
    page.wait_for_selector(".chip")
    after = int(page.locator(".count").inner_text())
    assert 0 < after < before
    assert all(s.startswith("lists/") for s in page.locator(".hit .loc").all_inner_texts())
    page.locator(".chip").click()
    page.wait_for_selector("#total")
    assert page.locator(".chip").count() == 0
    assert int(page.locator(".count").inner_text()) == before
    page.go_back()  # the back button brings the filter back
    assert page.locator(".chip").count() == 1


def test_the_pdf_view_opens_the_hits_page(page) -> None:
    search(page, "حسن نصر الله")
    page.locator('.facet[data-facet="format"] a', has_text="pdf").click()
    page.wait_for_selector(".chip")
    page.locator(".hit a.open").first.click()
    img = page.locator(".pdf-page img")
    img.wait_for()
    assert img.evaluate("e => e.decode().then(() => e.naturalWidth)") > 500
    assert page.locator("a.original").get_attribute("href").endswith("#page=1")
    assert page.locator(".block.focus mark").count() >= 1


def test_the_person_page_lists_names_of_both_scripts(page) -> None:
    page.goto("/person?q=Dakdouk")
    latin = page.locator('[data-script="Latin"] .name').all_inner_texts()
    arabic = page.locator('[data-script="Arabic"] .name').all_inner_texts()
    assert "Hamid the Mute" in latin and "علي موسى دقدوق" in arabic
    assert page.locator('[data-script="Arabic"] li').first.evaluate(
        "e => getComputedStyle(e).direction") == "rtl"


def test_the_batch_table(page) -> None:
    page.goto("/batch")
    page.fill("#names", "Dakdouk\nHasan Nasrallah\nZzyzx Qwertyuiop")
    page.click(".batch button")
    rows = page.locator(".batch-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 3
    assert int(rows.nth(0).locator("td.num").first.inner_text()) > 0
    assert rows.nth(2).locator("td.num").first.inner_text() == "0"


def test_j_and_k_move_between_hits_and_enter_opens(page) -> None:
    search(page, "Daqduq")
    page.locator("body").click(position={"x": 5, "y": 300})  # not in the search box
    page.keyboard.press("j")
    assert page.locator(".hit.selected").get_attribute("id") == "hit-1"
    page.keyboard.press("j")
    assert page.locator(".hit.selected").get_attribute("id") == "hit-2"
    page.keyboard.press("k")
    assert page.locator(".hit.selected").get_attribute("id") == "hit-1"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("jk")  # typing in the box moves nothing
    assert page.locator(".hit.selected").get_attribute("id") == "hit-1"
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.wait_for_url("**/passage?**")
    assert page.locator(".block.focus").count() == 1
    page.keyboard.press("Escape")  # back to the hits
    page.wait_for_selector("#total")


def test_the_csv_export_parses(page) -> None:
    search(page, "Daqduq")
    total = int(page.locator(".count").inner_text())
    with page.expect_download() as info:
        page.get_by_text("CSV", exact=True).click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == total and rows[0]["query"] == "Daqduq"


def test_a_passage_holding_script_is_text_and_runs_nothing(page) -> None:
    page.goto("/?q=Ali+Musa+Daqduq&folder=notes")
    text = page.locator(".hit", has_text="Field note").locator(".text").inner_text()
    assert "<script>document.title='pwned'</script>" in text
    assert page.title() != "pwned"
    assert page.evaluate("document.querySelectorAll('.hit img').length") == 0
