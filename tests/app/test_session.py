"""The screen session's rules: mode, idle reset, rate limit, list order, examples."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.lenke import read_lenke
from assistant.session import (
    EKSEMPLER,
    MAX_QUESTIONS,
    WORD_JOINER,
    DeviceRateLimit,
    answer_markdown,
    choose_mode,
    device_key,
    is_idle,
    markdown_literal,
    rate_limit,
    seconds_to_wait,
    sorted_kommuner,
)


@pytest.mark.parametrize("question", EKSEMPLER[:6])
def test_every_example_on_the_start_screen_is_answered(assistant, question):
    assert assistant.ask(question).status == "ok"


def test_kiosk_from_url_or_environment_and_the_environment_cannot_be_undone():
    assert choose_mode(None, None) == "ansatt"
    assert choose_mode("kiosk", None) == "kiosk"
    assert choose_mode("ansatt", "kiosk") == "kiosk"
    assert choose_mode("noe annet", None) == "ansatt"


def test_idle_only_after_the_limit():
    assert not is_idle(None, 10_000.0)
    assert not is_idle(0.0, 180.0, 180)
    assert is_idle(0.0, 180.5, 180)


def test_rate_limit_allows_ten_a_minute_and_then_again_after_waiting():
    asked: list[float] = []
    for second in range(10):
        ok, asked = rate_limit(asked, float(second))
        assert ok
    ok, asked = rate_limit(asked, 30.0)
    assert not ok and len(asked) == 10
    ok, asked = rate_limit(asked, 60.5)  # the first question is now more than a minute old
    assert ok and asked[-1] == 60.5


def test_the_device_limit_counts_every_session_of_a_device_once_across_threads():
    limit = DeviceRateLimit()
    with ThreadPoolExecutor(max_workers=50) as pool:
        allowed = list(pool.map(lambda _: limit.allow("10.0.0.7", 100.0), range(50)))
    assert sum(allowed) == MAX_QUESTIONS
    assert limit.allow("10.0.0.8", 100.0)  # another device has its own count
    assert limit.allow("10.0.0.7", 161.0)  # and a minute later the first may ask again


def test_the_device_limit_remembers_a_bounded_number_of_devices():
    limit = DeviceRateLimit(max_devices=100)
    for n in range(1000):
        limit.allow(f"10.0.{n // 256}.{n % 256}", float(n))
    assert len(limit) == 100


def test_a_device_is_its_address_or_this_machine():
    assert device_key("2001:db8::1") == "2001:db8::1"
    assert device_key(None) == device_key("") == "lokal"


def test_municipalities_in_norwegian_order(assistant):
    names = [assistant.names[nr] for nr in sorted_kommuner(assistant.names)]
    assert len(names) == 357 and names[0].startswith("A")
    assert names[-1].startswith("Å") and names.index("Ørland") < names.index("Ål")


def test_markdown_literal_keeps_names_and_blocks_links():
    assert markdown_literal("Herøy (Nordland)") == "Herøy (Nordland)"
    assert "](" not in markdown_literal("[klikk](http://x)").replace("\\]", "")


# Each case as written, and as shown to Markdown ("¦" stands for the invisible word joiner that
# keeps Streamlit from linking a URL, a www. address or an e-mail address by itself).
@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("http://127.0.0.1:8611/x", "http¦\\://127.0.0.1\\:8611/x"),
        ("HTTPS://evil.example", "HTTPS¦\\://evil.example"),
        ("www.evil.example", "www¦.evil.example"),
        ("WWW.EVIL.EXAMPLE", "WWW¦.EVIL.EXAMPLE"),
        ("ola@example.no", "ola¦\\@example.no"),
        ("<http://x>", "\\<http¦\\://x\\>"),
        ("&lt;script&gt;", "\\&lt;script\\&gt;"),
        (":material/home: :red[x] :smile:", "\\:material/home: \\:red\\[x\\] \\:smile:"),
        ("1. første\n- andre\n> sitat", "1\\. første\n\\- andre\n\\> sitat"),
        ("Kilde: SSB. Sør-Varanger (nr. 5), 1,23", "Kilde: SSB. Sør-Varanger (nr. 5), 1,23"),
    ],
)
def test_markdown_literal_breaks_autolinks_html_and_directives(text, escaped):
    assert markdown_literal(text).replace(WORD_JOINER, "¦") == escaped


def test_an_answer_in_lines_shows_as_a_list_and_never_as_markup():
    shown = answer_markdown("Trekker opp:\n• [lenke](http://x) *fet*\n• b\nMerk: demodata.")
    lines = shown.split("\n")
    assert lines[0] == "Trekker opp:" and lines[2].startswith("- ") and lines[3] == "- b"
    assert "](" not in shown.replace("\\]", "") and "\\*fet\\*" in shown
    assert answer_markdown("Én linje.") == "Én linje."


def test_the_wait_after_too_many_questions_shrinks_to_nothing():
    asked = [100.0 + i for i in range(10)]
    waits = [seconds_to_wait(asked, now) for now in (110.0, 140.0, 159.5, 160.5)]
    assert waits == [50, 20, 1, 0]


def test_a_link_carries_the_last_questions_and_only_known_values():
    params = {"q": [f"spørsmål {i}" for i in range(9)] + ["x" * 900], "kommune": ["1804", "5605"]}
    lenke = read_lenke(params, ["spor"], {"1804", "5605"}, [2024])
    assert lenke.sporsmaal[-1] == "x" * 500 and len(lenke.sporsmaal) == 6
    assert lenke.kommune == "5605"  # the last value of a repeated key
    again = {k: v if isinstance(v, list) else [v] for k, v in lenke.query_params().items()}
    assert read_lenke(again, ["spor"], {"1804", "5605"}, [2024]) == lenke
