"""End to end in a real browser: `streamlit run` (staff and kiosk), Debian's chromium through
Playwright, at a laptop's, an office screen's and a portrait kiosk's size.

Checks what only a browser shows: the new answer in view with the focus, Norwegian numbers on
the chart axes, a reload that keeps the conversation, the map, the kiosk's rate-limit message,
and axe-core's accessibility rules on every page. Leaves screenshots, the answer times and the
axe results in test-artifacts/ (git-ignored) for review.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assistant.session import LIMIT_ENV, WORD_JOINER
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
SVAR = "Pleie og omsorg i Sør-Varanger er Norges"
START_SECONDS = 60
ANSWER_MS = 60_000  # generous: the machine runs the other tests at the same time
VIEWPORTS = {  # name: (width, height, mode)
    "laptop": (1366, 768, "ansatt"),
    "kontor": (1920, 1080, "ansatt"),
    "kiosk": (1080, 1920, "kiosk"),
}
LIMIT = 3  # questions a minute in the kiosk that tests its limit
MAX_TABS_TO_FOLLOW_UP = 12  # from the new answer to its first follow-up question
SERIOUS = {"serious", "critical"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),  # one pair of servers for the whole module
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


def start_server(db: Path, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """`streamlit run streamlit_app.py` on a free port, with `extra_env`."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in APP_ENV}
    env["KOMMUNEINDEKS_DB"] = str(db)
    env.update(extra_env or {})
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    return proc, f"http://127.0.0.1:{port}"


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def streamlit_app(demo_db: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """One app with `extra_env`; always stopped afterwards."""
    proc, url = start_server(demo_db, extra_env)
    try:
        wait_until_up(url, proc, START_SECONDS)
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def servers(demo_db: Path) -> Iterator[dict[str, str]]:
    """`streamlit run streamlit_app.py` for staff and for a kiosk; always stopped afterwards."""
    started = {
        "ansatt": start_server(demo_db),
        "kiosk": start_server(demo_db, {"KOMMUNEINDEKS_MODUS": "kiosk"}),
    }
    try:
        for proc, url in started.values():
            wait_until_up(url, proc, START_SECONDS)
        yield {mode: url for mode, (_, url) in started.items()}
    finally:
        for proc, _ in started.values():
            stop(proc)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def open_page(browser, url: str, size: tuple[int, int]):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(url)
    page.get_by_test_id("stChatInputTextArea").wait_for(timeout=ANSWER_MS)
    return page


def answers(page):
    return page.locator('[data-testid="stChatMessage"]:has([data-testid="stChatMessageAvatarAssistant"])')


def idle(page) -> None:
    """Wait until the app's script has finished its run (a question typed during a run can be
    lost on a busy machine)."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        ".getAttribute('data-test-script-state') !== 'running'",
        timeout=ANSWER_MS,
    )


def ask(page, question: str, expected: str) -> float:
    """Type a question, press Enter and wait for the answer's text; returns the seconds. A
    question lost on a busy machine (typed while the page was redrawn) is typed again."""
    for attempt in range(3):
        idle(page)
        box = page.get_by_test_id("stChatInputTextArea")
        box.fill(question)
        started = time.perf_counter()
        box.press("Enter")
        try:
            page.get_by_text(expected).last.wait_for(timeout=ANSWER_MS // 3)
            return time.perf_counter() - started
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def wait_for_focus_on_answer(page) -> None:
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.matches('[data-testid=\"stChatMessage\"]')",
        timeout=ANSWER_MS,
    )


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 120) <= height


def axis_labels(page, chart) -> list[str]:
    chart.locator("svg .role-axis-label text").first.wait_for(timeout=ANSWER_MS)
    return [t.strip() for t in chart.locator("svg .role-axis-label text").all_text_contents()]


def screenshot(page, name: str) -> None:
    page.wait_for_timeout(300)  # let the charts finish drawing
    page.screenshot(path=str(ARTIFACTS / f"skjerm-{name}.png"))


def record(name: str, values: dict) -> None:
    """Add measurements to test-artifacts/e2e_timing.json (one key per check)."""
    path = ARTIFACTS / "e2e_timing.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = values
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_new_answer_comes_into_view_with_norwegian_chart_axes(servers, browser, viewport):
    width, height, mode = VIEWPORTS[viewport]
    page = open_page(browser, servers[mode], (width, height))
    if mode == "ansatt":  # an earlier answer above, so the page has to move to the new one
        ask(page, "Hvilke fem kommuner er best styrt?", "Disse 5 kommunene")
    seconds = ask(page, SPORSMAAL, SVAR)
    wait_for_focus_on_answer(page)
    page.wait_for_timeout(800)  # the charts draw after the text: the start must stay in view
    answer = answers(page).last
    text = answer.get_by_text(SVAR)
    assert in_view(page, text), (viewport, text.bounding_box())
    reading = answer.get_by_text("Tolket som:")  # how the question was read, above the answer
    assert in_view(page, reading) and reading.bounding_box()["y"] < text.bounding_box()["y"]
    labels = axis_labels(page, answer.get_by_test_id("stVegaLiteChart").first)
    assert any(re.fullmatch(r"[−-]?\d+,\d+", label) for label in labels), labels
    assert not any(re.fullmatch(r"[−-]?\d+\.\d+", label) for label in labels), labels
    tabs = 0
    while page.evaluate("document.activeElement.innerText.trim()") != "Hvorfor?":
        page.keyboard.press("Tab")
        tabs += 1
        assert tabs <= MAX_TABS_TO_FOLLOW_UP, f"{viewport}: «Hvorfor?» ikke nådd med Tab"
    screenshot(page, viewport)
    record(viewport, {"sekunder_til_svar": round(seconds, 3), "tab_til_oppfolging": tabs})
    page.close()


def test_a_reload_keeps_the_conversation_and_min_kommune(servers, browser):
    page = open_page(browser, f"{servers['ansatt']}/?kommune=5605", (1366, 768))
    ask(page, "Hvor ligger vi i barnehage?", "Barnehage i Sør-Varanger")
    ask(page, "og i grunnskole?", "Grunnskole i Sør-Varanger")
    # both questions in the address before the reload (it follows the answers a moment later)
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('q').length === 2",
                           timeout=ANSWER_MS)
    assert "kommune=5605" in page.url
    page.reload()
    page.get_by_text("Grunnskole i Sør-Varanger").last.wait_for(timeout=ANSWER_MS)
    assert answers(page).count() == 2
    assert page.get_by_role("combobox", name="Min kommune").input_value() == "Sør-Varanger"
    ask(page, "Hvor ligger vi i kultur?", "Kultur i Sør-Varanger")  # «vi» still Sør-Varanger
    page.close()


def test_a_map_is_drawn_for_vis_kart_with_its_credit(servers, browser):
    page = open_page(browser, servers["ansatt"], (1920, 1080))
    ask(page, "Vis kart over kommuneindeksen", "Kartet viser")
    answer = answers(page).last
    chart = answer.get_by_test_id("stVegaLiteChart").first
    shapes = chart.locator("svg .mark-shape path")
    shapes.nth(356).wait_for(state="attached", timeout=ANSWER_MS)
    assert shapes.count() >= 357 + 350  # every municipality grey below, each ranked one coloured
    assert answer.get_by_text("Kommunegrenser: robhop/fylker-og-kommuner (CC BY 4.0)").is_visible()
    legend = chart.locator("svg .role-legend-label text").all_text_contents()
    assert any("," in label for label in legend), legend
    screenshot(page, "kart")
    page.close()


def axe_violations(page, name: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_timeout(500)
    results = Axe().run(page).response
    (ARTIFACTS / f"axe-{name}.json").write_text(
        json.dumps(results["violations"], ensure_ascii=False, indent=1)
    )
    return [
        f"{name}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]


def test_axe_finds_nothing_serious_on_the_staff_pages(servers, browser):
    url = servers["ansatt"]
    page = open_page(browser, url, (1366, 768))
    found = axe_violations(page, "ansatt-start")
    ask(page, SPORSMAAL, SVAR)
    found += axe_violations(page, "ansatt-chat")
    page.goto(f"{url}/?visning=rapport&rapport=5605")
    page.get_by_text("Kommunen i fylket").wait_for(timeout=ANSWER_MS)
    found += axe_violations(page, "ansatt-rapport")
    page.goto(f"{url}/?visning=hva-om")
    page.get_by_text("Uten endringer for").wait_for(timeout=ANSWER_MS)
    found += axe_violations(page, "ansatt-hva-om")
    page.goto(f"{url}/?visning=sql")
    page.get_by_text("Skriv egen SQL").wait_for(timeout=ANSWER_MS)
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Kjør").click()
    page.get_by_test_id("stDataFrame").first.wait_for(timeout=ANSWER_MS)
    found += axe_violations(page, "ansatt-sql")
    assert not found, found
    page.close()


def test_axe_finds_nothing_serious_in_the_kiosk(servers, browser):
    page = open_page(browser, servers["kiosk"], (1080, 1920))
    found = axe_violations(page, "kiosk-start")
    ask(page, SPORSMAAL, SVAR)
    found += axe_violations(page, "kiosk-chat")
    assert not found, found
    screenshot(page, "kiosk-svar")
    page.close()


def test_the_hva_om_page_answers_a_slider_and_stays_wide(servers, browser):
    """The page in a real browser: one slider step at a time, the text follows, and the wide
    layout holds through every rerun (a second page config in a view made it flip)."""
    from playwright.sync_api import expect

    main = '[data-testid="stMainBlockContainer"]'
    # the width of whichever main container is on the page, every frame (Streamlit may replace
    # the element itself during a rerun; that is no flip)
    watch = """() => { window.widths = new Set(); const tick = () => {
        const m = document.querySelector('[data-testid="stMainBlockContainer"]');
        if (m && m.offsetWidth) window.widths.add(m.offsetWidth);
        requestAnimationFrame(tick); }; tick(); }"""
    page = open_page(browser, servers["ansatt"], (1400, 1300))
    centered = page.locator(main).evaluate("m => m.offsetWidth")
    page.get_by_text("Hva om", exact=True).click()
    expect(page.get_by_text("Uten endringer for")).to_be_visible(timeout=ANSWER_MS)
    page.wait_for_timeout(500)
    wide = page.locator(main).evaluate("m => m.offsetWidth")
    assert wide > centered
    page.evaluate(watch)
    pleie = page.get_by_role("slider").nth(3)
    step = 0
    for _ in range(12):  # one step at a time to 4 % less; the text follows the slider each time
        pleie.press("ArrowLeft")  # (a key pressed during a rerun can be lost on a busy machine)
        step = abs(int(pleie.input_value()))
        if step:
            expect(page.get_by_text(f"(pleie og omsorg {step} % mindre)")).to_be_visible(timeout=ANSWER_MS // 2)
        if step >= 4:
            break
    assert step == 4
    expect(page.get_by_text("Innsparing i 2024:")).to_be_visible()
    assert re.search(r"\d,\d{3}", page.get_by_test_id("stDataFrame").text_content())  # «1,032»
    page.wait_for_timeout(500)
    widths = page.evaluate("Array.from(window.widths)")
    assert set(widths) <= {wide}, widths  # no flip to the centered layout, not even briefly
    screenshot(page, "hva-om")
    page.close()


# --- nothing a user or a model wrote becomes markup (issue 17) ------------------------------

URL_SPORSMAAL = "Hvor ligger http://127.0.0.1:8611/x i skole? Eller www.evil.example?"
CHAT = '[data-testid="stChatMessage"]'


def test_a_url_in_a_kiosk_question_is_plain_text(servers, browser):
    from playwright.sync_api import expect

    page = open_page(browser, servers["kiosk"], (1280, 1200))
    idle(page)
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(URL_SPORSMAAL)
    box.press("Enter")
    messages = page.locator(CHAT)
    expect(messages).to_have_count(2, timeout=ANSWER_MS)  # the question and the answer
    page.wait_for_timeout(500)
    screenshot(page, "kiosk-url")
    echoed = messages.first.inner_text().replace(WORD_JOINER, "")
    assert "http://127.0.0.1:8611/x" in echoed and "www.evil.example" in echoed  # as text
    assert page.locator(f"{CHAT} a, {CHAT} img").count() == 0
    assert page.locator('a[href*="127.0.0.1:8611"], a[href*="evil.example"]').count() == 0
    page.close()


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


def test_a_hostile_model_reply_never_shows_its_text(model_server, browser):
    from playwright.sync_api import expect

    page = open_page(browser, f"{model_server}/?modus=kiosk", (1280, 1200))
    idle(page)
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill("Hvilke fylker finnes?")  # the offline parser refuses, so the model is asked
    box.press("Enter")
    answer = page.locator(CHAT).nth(1)
    expect(answer).to_contain_text("Språkmodellen foreslo en spørring", timeout=ANSWER_MS)
    page.wait_for_timeout(500)
    shown = page.locator("body").inner_text()
    for word in ("VIKTIG", "Kontoen", "12345678", "Melding fra"):
        assert word not in shown
    page.close()


@pytest.fixture(scope="module")
def limited_kiosk(demo_db: Path) -> Iterator[str]:
    """A kiosk of its own that takes three questions a minute per device, so that the limit is
    reached in seconds however slow the machine (the other kiosk tests keep theirs)."""
    proc, url = start_server(demo_db, {"KOMMUNEINDEKS_MODUS": "kiosk", LIMIT_ENV: str(LIMIT)})
    try:
        wait_until_up(url, proc, START_SECONDS)
        yield url
    finally:
        stop(proc)


def test_the_kiosk_shows_why_a_question_waits_beside_the_input(limited_kiosk, browser):
    """The question over the limit: the message and a countdown right above the input, in
    view (it used to appear far above the visible part of the page)."""
    page = open_page(browser, limited_kiosk, (1080, 1920))
    message = page.get_by_text("Du har stilt mange spørsmål på kort tid")
    for i in range(3 * LIMIT):  # the limit is answered; a question lost on a busy machine is asked again
        idle(page)
        asked = page.locator('[data-testid="stChatMessage"]').count()
        box = page.get_by_test_id("stChatInputTextArea")
        box.fill(f"Hvor ligger Bodø i barnehage i {2022 + i % 3}?")
        box.press("Enter")
        try:
            page.wait_for_function(
                "n => document.querySelectorAll('[data-testid=\"stChatMessage\"]').length > n"
                " || document.body.innerText.includes('mange spørsmål på kort tid')",
                arg=asked,
                timeout=ANSWER_MS // 4,
            )
        except PlaywrightTimeout:
            continue
        if message.count():
            break
    message.wait_for(timeout=ANSWER_MS)
    countdown = page.locator("[data-nedtelling]")
    first = int(countdown.inner_text())
    assert 0 < first <= 60
    assert in_view(page, message) and in_view(page, countdown)
    screenshot(page, "kiosk-grense")
    if first > 2:  # it counts down …
        page.wait_for_timeout(1500)
        assert int(countdown.inner_text()) < first
    else:  # … to a line that says the visitor may ask again
        page.locator(".nedtelling").get_by_text("Nå kan du spørre igjen.").wait_for(timeout=5000)
    page.close()
