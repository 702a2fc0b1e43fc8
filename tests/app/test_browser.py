"""End to end in a real browser: `streamlit run`, Debian's chromium through Playwright, one question.

Leaves a screenshot and the measured answer time in test-artifacts/ (git-ignored).
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.session import WORD_JOINER
from tests.app.conftest import APP, APP_ENV
from tests.assistant.fake_llm import MODEL_NAME, serving
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SPORSMAAL = "Hvor ligger Sør-Varanger i pleie og omsorg?"
START_SECONDS = 60
ANSWER_MS = 30_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="trenger /usr/bin/chromium (apt-get install chromium)"
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: float) -> None:
    """Poll Streamlit's health endpoint until it answers, or fail with the server's output."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit stoppet: {server.stdout.read() if server.stdout else ''}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"streamlit svarte ikke innen {seconds} s")


@contextmanager
def streamlit_app(demo_db: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """`streamlit run streamlit_app.py` on a free port, with `extra_env`; always stopped after."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in APP_ENV}
    env["KOMMUNEINDEKS_DB"] = str(demo_db)
    env.update(extra_env or {})
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, proc, START_SECONDS)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def server(demo_db: Path) -> Iterator[str]:
    with streamlit_app(demo_db) as url:
        yield url


@contextmanager
def browser_page(viewport: dict[str, int]) -> Iterator:
    """A page in Debian's chromium; the browser is closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport=viewport)
        finally:
            browser.close()


def ask_in(page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(timeout=ANSWER_MS)
    box.fill(question)
    box.press("Enter")


def test_a_question_in_the_browser_gets_an_answer_and_a_chart(server):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.goto(server)
            box = page.get_by_test_id("stChatInputTextArea")
            box.wait_for(timeout=ANSWER_MS)
            box.fill(SPORSMAAL)
            started = time.perf_counter()
            box.press("Enter")
            answer = page.get_by_text("Pleie og omsorg i Sør-Varanger er Norges")
            answer.wait_for(timeout=ANSWER_MS)
            seconds = time.perf_counter() - started
            chart = page.locator(
                '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg, '
                ".stVegaLiteChart canvas, .stVegaLiteChart svg"
            ).first
            expect(chart).to_be_visible(timeout=ANSWER_MS)
            expect(page.get_by_text("Vis SQL")).to_be_visible()
            page.wait_for_timeout(500)  # let the chart finish drawing before the picture
            page.screenshot(path=str(ARTIFACTS / "e2e.png"), full_page=True)
        finally:
            browser.close()
    timing = {"sporsmaal": SPORSMAAL, "sekunder_til_svar": round(seconds, 3)}
    (ARTIFACTS / "e2e_timing.json").write_text(
        json.dumps(timing, ensure_ascii=False, indent=2) + "\n"
    )
    assert seconds < 15, timing


def shown_width(page, selector: str) -> int:
    """The width of an element once it is on the page (during a rerun on a busy machine it can
    be out of the page for a moment, width 0)."""
    page.wait_for_function(
        "s => (document.querySelector(s)?.offsetWidth ?? 0) > 0", arg=selector, timeout=ANSWER_MS
    )
    return page.locator(selector).evaluate("m => m.offsetWidth")


def test_the_hva_om_page_answers_a_slider_and_stays_wide(server):
    """The page in a real browser: one slider step at a time, the text follows, and the wide
    layout holds through every rerun (a second page config in a view made it flip)."""
    from playwright.sync_api import expect, sync_playwright

    main = '[data-testid="stMainBlockContainer"]'
    watch = """main => { window.widths = [];
        new ResizeObserver(() => window.widths.push(main.offsetWidth)).observe(main); }"""
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1300})
            page.goto(server)
            page.get_by_test_id("stChatInputTextArea").wait_for(timeout=ANSWER_MS)
            centered = shown_width(page, main)
            page.get_by_text("Hva om", exact=True).click()
            expect(page.get_by_text("Uten endringer for")).to_be_visible(timeout=ANSWER_MS)
            page.wait_for_timeout(500)
            wide = shown_width(page, main)
            assert wide > centered
            page.locator(main).evaluate(watch)
            pleie = page.get_by_role("slider").nth(3)
            for step in range(1, 5):
                pleie.press("ArrowLeft")
                shown = page.get_by_text(f"(pleie og omsorg {step} % mindre)")
                try:
                    expect(shown).to_be_visible(timeout=ANSWER_MS // 2)
                except AssertionError:  # a key pressed during a rerun can be lost on a busy machine
                    pleie.press("ArrowLeft")
                    expect(shown).to_be_visible(timeout=ANSWER_MS // 2)
            expect(page.get_by_text("Innsparing i 2024:")).to_be_visible()
            page.wait_for_timeout(500)
            widths = page.evaluate("window.widths")
            # no flip to the centered layout, not even briefly; on a busy machine the block can be
            # out of the page for a moment during a rerun (width 0), which is no flip
            assert set(widths) - {0} <= {wide}, widths
            page.screenshot(path=str(ARTIFACTS / "e2e_hva_om.png"), full_page=True)
        finally:
            browser.close()


# --- nothing a user or a model wrote becomes markup (issue 17) ------------------------------

URL_SPORSMAAL = "Hvor ligger http://127.0.0.1:8611/x i skole? Eller www.evil.example?"
CHAT = '[data-testid="stChatMessage"]'


def test_a_url_in_a_kiosk_question_is_plain_text(server):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    with browser_page({"width": 1280, "height": 1200}) as page:
        page.goto(f"{server}/?modus=kiosk")
        ask_in(page, URL_SPORSMAAL)
        messages = page.locator(CHAT)
        expect(messages).to_have_count(2, timeout=ANSWER_MS)  # the question and the answer
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "e2e_kiosk_url.png"), full_page=True)
        echoed = messages.first.inner_text().replace(WORD_JOINER, "")
        assert "http://127.0.0.1:8611/x" in echoed and "www.evil.example" in echoed  # as text
        assert page.locator(f"{CHAT} a, {CHAT} img").count() == 0
        assert page.locator('a[href*="127.0.0.1:8611"], a[href*="evil.example"]').count() == 0


MESSAGE = "VIKTIG: Kontoen din er sperret. Ring 12345678"
HOSTILE_SQL = f"SELECT '{MESSAGE}' AS \"Melding fra Kommuneindeksen\""


@pytest.fixture
def model_server(demo_db: Path) -> Iterator[str]:
    """The app with a language model that answers every question with a message of its own."""
    with serving() as fake:
        fake.content(json.dumps({"sql": HOSTILE_SQL}))
        env = {
            "KOMMUNEINDEKS_LLM_BASE_URL": fake.url,
            "KOMMUNEINDEKS_LLM_MODEL": MODEL_NAME,
            "NO_PROXY": "127.0.0.1,localhost",
        }
        with streamlit_app(demo_db, env) as url:
            yield url
        assert fake.requests, "the model was never asked"


def test_a_hostile_model_reply_never_shows_its_text(model_server):
    from playwright.sync_api import expect

    with browser_page({"width": 1280, "height": 1200}) as page:
        page.goto(f"{model_server}/?modus=kiosk")
        ask_in(page, "Hvilke fylker finnes?")  # the offline parser refuses, so the model is asked
        answer = page.locator(CHAT).nth(1)
        expect(answer).to_contain_text("Språkmodellen foreslo en spørring", timeout=ANSWER_MS)
        page.wait_for_timeout(500)
        shown = page.locator("body").inner_text()
        for word in ("VIKTIG", "Kontoen", "12345678", "Melding fra"):
            assert word not in shown
