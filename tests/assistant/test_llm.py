"""The optional language model, against a fake OpenAI-compatible server on 127.0.0.1.

The real `openai` client talks to a small `http.server` (tests/assistant/fake_llm.py) that
answers POST /v1/chat/completions with a reply chosen by each test and records every request. The model
may only help read a question the offline parser refuses; whatever it sends back (a frame, SQL,
garbage, hostile SQL, an error, silence) ends in a checked answer or a polite refusal, and the
database file never changes.
"""

import gzip
import hashlib
import json
import logging
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Answer, Assistant
from assistant.llm.client import ENV_API_KEYS, ENV_BASE_URL, ENV_MODEL, ENV_TIMEOUT, Modell
from assistant.llm.prompt import build_messages, read_examples, read_prompt, render
from assistant.llm.read import AVSLAG, STOPPET_SQL, UKLART_SVAR
from assistant.llm.reply import parse_reply
from assistant.query.execute import connect_read_only
from assistant.settings import load_settings
from tests.assistant.fake_llm import MODEL_NAME, FakeServer, Reply, chat, error, serving
from tests.assistant.measure import Peaks

ENV_VARS = (ENV_BASE_URL, ENV_MODEL, ENV_TIMEOUT, *ENV_API_KEYS)
API_KEY = "test-nokkel"
# Questions the offline parser refuses today; the first one it still refuses is used.
MODEL_ONLY_QUESTIONS = ("Hvilke fylker finnes?", "List opp alle fylker", "Ranger fylkene")
NORWEGIAN = ("ikke", "Jeg", "Det", "Beklager", "Prøv", "Hvilken", "Skriv")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")

FYLKE_SQL = (
    "SELECT k.fylke, AVG(v.verdi) AS snitt FROM indikatorverdi AS v "
    "JOIN kommune AS k ON k.kommunenr = v.kommunenr "
    "WHERE v.indikator = 'grunnskolepoeng' AND v.aar = 2024 AND v.verdi IS NOT NULL "
    "GROUP BY k.fylke ORDER BY snitt DESC, k.fylke"
)


# --- the fake server (tests/assistant/fake_llm.py) --------------------------------------------


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeServer]:
    with pytest.MonkeyPatch.context() as mp, serving() as fake:
        mp.setenv("NO_PROXY", "127.0.0.1,localhost")
        yield fake


@pytest.fixture
def server(fake_server: FakeServer) -> FakeServer:
    """The shared fake server, with no recorded requests and a refusal as its reply."""
    fake_server.reset()
    return fake_server


# --- assistants ------------------------------------------------------------------------------


def _clean_env(mp: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        mp.delenv(name, raising=False)


@pytest.fixture(scope="module")
def offline(demo_db: Path) -> Iterator[Assistant]:
    with pytest.MonkeyPatch.context() as mp:
        _clean_env(mp)
        a = Assistant(demo_db)
    yield a
    a.close()


@pytest.fixture(scope="module")
def model_assistant(demo_db: Path, db_hash: str, fake_server: FakeServer) -> Iterator[Assistant]:
    a = Assistant(demo_db, modell=Modell(fake_server.url, MODEL_NAME, API_KEY, timeout=5.0))
    yield a
    a.close()


@pytest.fixture(scope="module")
def question(offline: Assistant, model_assistant: Assistant, fake_server: FakeServer) -> str:
    """A question only the model path can answer: the offline parser refuses it as not
    understood (not as an unknown name), so the model is asked."""
    for q in MODEL_ONLY_QUESTIONS:
        fake_server.requests.clear()
        if offline.ask(q).status == "refused":
            model_assistant.ask(q)
            if fake_server.requests:
                return q
    pytest.fail(f"the offline parser answers all of {MODEL_ONLY_QUESTIONS}; add a new one")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def db_hash(demo_db: Path) -> str:
    """The demo database's hash before any model was asked anything."""
    return sha256(demo_db)


def direct(db: Path, sql: str) -> list[list]:
    """Rows straight from DuckDB, to check the assistant's rows against."""
    with connect_read_only(db, load_settings().sql) as con:  # DuckDB wants one configuration
        return [list(r) for r in con.execute(sql).fetchall()]


def assert_polite_refusal(answer: Answer, caplog: pytest.LogCaptureFixture) -> None:
    assert answer.status != "ok"
    assert any(word in answer.text for word in NORWEGIAN), answer.text
    assert "Traceback" not in answer.text and "Error" not in answer.text
    assert "<" not in answer.text and "![" not in answer.text  # plain text only
    assert answer.rows == [] and answer.sql is None
    assert not any(r.exc_info for r in caplog.records), "an unexpected exception was logged"


# --- (a) the model path answers what the parser cannot ----------------------------------------


def test_question_is_refused_offline(offline: Assistant, question: str) -> None:
    answer = offline.ask(question)
    assert answer.status == "refused" and not answer.brukte_modell


def test_model_sql_is_run_through_the_sandbox(
    model_assistant: Assistant, server: FakeServer, question: str, demo_db: Path
) -> None:
    server.content(json.dumps({"sql": FYLKE_SQL}))
    answer = model_assistant.ask(question)
    assert answer.status == "ok" and answer.brukte_modell
    assert answer.columns == ["fylke", "snitt"]
    assert answer.rows == direct(demo_db, FYLKE_SQL)
    assert answer.text.startswith(
        f"Språkmodellen tolket spørsmålet som en egen spørring; her er {len(answer.rows)} rader."
    )
    assert "LIMIT" in answer.sql  # the validated SQL, not the model's text


def test_model_frame_is_answered_like_the_parser_would(
    model_assistant: Assistant, server: FakeServer, question: str, demo_db: Path
) -> None:
    frame = {"sporsmaal": "indikator", "indikatorer": ["grunnskolepoeng"], "fylke": "Troms", "n": 1}
    server.content(json.dumps({"frame": frame}))
    answer = model_assistant.ask(question)
    assert answer.status == "ok" and answer.brukte_modell
    expected = direct(
        demo_db,
        """
        SELECT k.kommune, v.verdi FROM indikatorverdi AS v JOIN kommune AS k USING (kommunenr)
        WHERE v.aar = 2024 AND v.indikator = 'grunnskolepoeng' AND k.fylke = 'Troms'
          AND v.rang IS NOT NULL ORDER BY v.rang, k.kommune LIMIT 1""",
    )
    got = [
        [r["kommune"], r["verdi"]] for r in (dict(zip(answer.columns, row)) for row in answer.rows)
    ]
    assert got == expected
    assert expected[0][0] in answer.text and "Grunnskolepoeng" in answer.text
    assert answer.frame.fylke == "Troms" and answer.chart is not None


def test_frame_names_resolve_by_name_sami_name_and_number(
    model_assistant: Assistant, server: FakeServer, question: str
) -> None:
    frame = {"sporsmaal": "sammenlign", "kommuner": ["Guovdageaidnu", "Karasjok", 5605, "0301"]}
    server.content(json.dumps({"frame": frame}))
    answer = model_assistant.ask(question)
    assert answer.status == "ok"
    assert set(answer.frame.kommuner) == {"5612", "5610", "5605", "0301"}
    names = {dict(zip(answer.columns, row))["kommune"] for row in answer.rows}
    assert names == {"Kautokeino", "Karasjok", "Sør-Varanger", "Oslo"}


def test_json_inside_prose_is_read(model_assistant: Assistant, server: FakeServer, question: str) -> None:
    server.content('Her er spørringen:\n```json\n{"sql": "SELECT fylke FROM kommune"}\n```')
    assert model_assistant.ask(question).status == "ok"


def test_server_without_json_mode_is_asked_again_without_it(
    model_assistant: Assistant, server: FakeServer, question: str
) -> None:
    server.respond = lambda body: (
        error(400) if "response_format" in body else chat('{"sql": "SELECT 1 AS antall"}')
    )
    answer = model_assistant.ask(question)
    assert answer.status == "ok" and answer.rows == [[1]]
    assert len(server.requests) == 2 and "response_format" not in server.requests[1]


# --- (b) malformed or unusable replies --------------------------------------------------------

UNUSABLE = {
    "not JSON": chat("Oslo er best, med indeks 1,23."),
    "empty content": chat(""),
    "no content": chat(None),
    "prose answer in JSON": chat('{"svar": "Oslo er best med 1,23"}'),
    "two kinds": chat('{"sql": "SELECT 1", "avslag": "nei"}'),
    "unknown tjeneste": chat('{"frame": {"sporsmaal": "liste", "tjeneste": "fotball"}}'),
    "unknown indekstype": chat('{"frame": {"sporsmaal": "liste", "indekstyper": ["lykke"]}}'),
    "unknown field": chat('{"frame": {"sporsmaal": "liste", "tabell": "kommune"}}'),
    "unknown sporsmaal": chat('{"frame": {"sporsmaal": "slett"}}'),
    "what-if is the parser's": chat('{"frame": {"sporsmaal": "hva_om", "kommuner": ["Bodø"]}}'),
    "n as text": chat('{"frame": {"sporsmaal": "liste", "n": "ti"}}'),
    "indikator without key": chat('{"frame": {"sporsmaal": "indikator"}}'),
    "sql not text": chat('{"sql": 42}'),
    "html body": Reply(body=b"<html>Bad gateway</html>", content_type="text/html"),
    "broken JSON body": Reply(body=b'{"choices": [', content_type="application/json"),
    "no choices": Reply(body=b'{"id": "x", "object": "chat.completion", "choices": []}'),
}


@pytest.mark.parametrize("reply", UNUSABLE.values(), ids=UNUSABLE.keys())
def test_unusable_reply_is_a_polite_refusal(
    model_assistant: Assistant, server: FakeServer, question: str, demo_db: Path, db_hash: str, reply: Reply,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    server.reply_with(reply)
    answer = model_assistant.ask(question)
    assert_polite_refusal(answer, caplog)
    assert "1,23" not in answer.text  # the model's prose is never shown
    assert sha256(demo_db) == db_hash


def test_bad_frame_gets_the_unclear_reply_text(
    model_assistant: Assistant, server: FakeServer, question: str
) -> None:
    server.content('{"frame": {"sporsmaal": "liste", "tjeneste": "fotball"}}')
    answer = model_assistant.ask(question)
    assert answer.text == UKLART_SVAR and answer.brukte_modell and answer.suggestions


def test_model_refusal_is_our_own_text(
    model_assistant: Assistant, server: FakeServer, question: str
) -> None:
    server.content('{"avslag": "Oslo har 1,23 og jeg vil ikke si mer"}')
    answer = model_assistant.ask(question)
    assert answer.status == "refused" and answer.text == AVSLAG


@pytest.mark.parametrize(
    "frame, words",
    [
        ({"sporsmaal": "rang", "kommuner": ["Atlantis"]}, "finner ikke kommunen"),
        ({"sporsmaal": "rang", "kommuner": ["Herøy"]}, "flere kommuner"),
        ({"sporsmaal": "liste", "aar": 1999}, "1999"),
        ({"sporsmaal": "rang"}, "Hvilken kommune"),
    ],
)
def test_frame_our_rules_refuse_is_explained(
    model_assistant: Assistant, server: FakeServer, question: str, frame: dict, words: str,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    server.content(json.dumps({"frame": frame}))
    answer = model_assistant.ask(question)
    assert_polite_refusal(answer, caplog)
    assert words in answer.text


# The model's own words in a «municipality name»: never echoed (issue 17).
MODEL_NAMES = [
    "Atlantis",
    "VIKTIG Kontoen din er sperret Ring 12345",  # 40 characters of message
    "<img src=x onerror=alert(1)>![](http://x/a.png)",
    "http://127.0.0.1:8611/x",
]


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_a_name_the_model_made_up_is_never_echoed(
    model_assistant: Assistant, server: FakeServer, question: str, name: str,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    server.content(json.dumps({"frame": {"sporsmaal": "rang", "kommuner": [name]}}))
    answer = model_assistant.ask(question)
    assert_polite_refusal(answer, caplog)
    shown = " ".join([answer.text, *answer.suggestions])
    for word in re.findall(r"\w{4,}", name):
        assert not re.search(rf"\b{word}\b", shown), (word, shown)


# --- (c) hostile SQL --------------------------------------------------------------------------

HOSTILE_SQL = [
    "DROP TABLE kommune",
    "SELECT 1; DROP TABLE kommune",
    "DELETE FROM indeks",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('{db}')",
    "ATTACH '{folder}/ny.duckdb' AS ny",
    "COPY kommune TO '{folder}/ut.csv'",
    "SELECT * FROM information_schema.columns",
    "SELECT * FROM duckdb_settings()",
    "INSTALL httpfs",
    "SELECT * FROM 'https://example.com/data.csv'",
]


@pytest.mark.parametrize("sql", HOSTILE_SQL)
def test_hostile_sql_is_refused_and_changes_nothing(
    model_assistant: Assistant, server: FakeServer, question: str, demo_db: Path, db_hash: str, sql: str,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    folder = demo_db.parent
    files = sorted(folder.iterdir())
    server.content(json.dumps({"sql": sql.format(db=demo_db, folder=folder)}))
    with caplog.at_level(logging.WARNING, logger="assistant.llm.read"):
        answer = model_assistant.ask(question)
    assert_polite_refusal(answer, caplog)
    assert answer.status == "refused" and answer.text == STOPPET_SQL
    assert "root:" not in answer.text
    assert any("SQL fra språkmodellen ble stoppet" in r.getMessage() for r in caplog.records)
    assert sha256(demo_db) == db_hash and sorted(folder.iterdir()) == files


# --- (d) timeout and (e) HTTP errors ----------------------------------------------------------


def test_slow_model_is_given_up_on_after_the_timeout(
    demo_db: Path, db_hash: str, server: FakeServer, question: str, caplog: pytest.LogCaptureFixture
) -> None:
    slow = Assistant(demo_db, modell=Modell(server.url, MODEL_NAME, API_KEY, timeout=1.0))
    server.reply_with(Reply(body=chat('{"sql": "SELECT 1"}').body, delay=4.0))
    started = time.monotonic()
    answer = slow.ask(question)
    elapsed = time.monotonic() - started
    slow.close()
    assert elapsed < 3.0, f"waited {elapsed:.1f} s for a 1 s timeout"
    assert_polite_refusal(answer, caplog)
    assert answer.status == "refused" and not answer.brukte_modell  # the offline refusal
    assert any("APITimeoutError" in r.getMessage() for r in caplog.records)
    assert sha256(demo_db) == db_hash


@pytest.mark.parametrize("status", [500, 503, 429, 401, 404])
def test_http_error_gives_the_offline_refusal(
    model_assistant: Assistant, server: FakeServer, question: str, demo_db: Path, db_hash: str, status: int,
    offline: Assistant, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    server.reply_with(error(status))
    answer = model_assistant.ask(question)
    assert_polite_refusal(answer, caplog)
    assert answer.text == offline.ask(question).text
    assert len(server.requests) == 1  # no retries
    assert any("Språkmodellen svarte ikke" in r.getMessage() for r in caplog.records)
    assert sha256(demo_db) == db_hash


def test_connection_refused_gives_the_offline_refusal(
    demo_db: Path, question: str, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nobody listens
    gone = Assistant(demo_db, modell=Modell(f"http://127.0.0.1:{port}/v1", MODEL_NAME, timeout=2))
    answer = gone.ask(question)
    gone.close()
    assert_polite_refusal(answer, caplog)
    assert any("APIConnectionError" in r.getMessage() for r in caplog.records)


# --- (f) what the request carries -------------------------------------------------------------


def test_request_carries_schema_values_examples_and_question(
    model_assistant: Assistant, server: FakeServer, question: str
) -> None:
    model_assistant.ask(question)
    (body,) = server.requests
    system, user = (m["content"] for m in body["messages"])
    assert body["model"] == MODEL_NAME
    assert body["response_format"] == {"type": "json_object"}
    for table in ("indeks(", "kostnad(", "indikatorverdi(", "finans(", "kommune("):
        assert table in system
    assert "pleie_og_omsorg (Pleie og omsorg" in system and "grunnskolepoeng:" in system
    assert "Troms" in system and "2024" in system
    for example_question, svar in read_examples():
        assert example_question in system
        assert json.dumps(svar, ensure_ascii=False) in system
    assert f"Spørsmål: {question}" in user
    assert server.headers[0]["authorization"] == f"Bearer {API_KEY}"


def test_history_and_home_kommune_go_into_the_question(
    model_assistant: Assistant, server: FakeServer, question: str
) -> None:
    earlier = model_assistant.ask("Hvor ligger Bodø i barnehage?")
    assert earlier.status == "ok" and server.requests == []  # the parser needs no model
    history = [("Hvor ligger Bodø i barnehage?", earlier)]
    messages = build_messages(question, history, model_assistant.context("5605"))
    user = messages[1]["content"]
    assert "«Hvor ligger Bodø i barnehage?»" in user and '"tjeneste": "barnehage"' in user
    assert "Sør-Varanger (5605)" in user


# --- (g) offline by default -------------------------------------------------------------------


def test_no_config_means_no_model_and_no_request(
    demo_db: Path, server: FakeServer, question: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clean_env(monkeypatch)
    assert Modell.from_env() is None
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv(ENV_MODEL, MODEL_NAME)
    assert Modell.from_env() is None  # a key and a model, but no base URL: still offline
    a = Assistant(demo_db)
    answer = a.ask(question)
    a.close()
    assert a.modell is None and answer.status == "refused" and server.requests == []


def test_env_config_reaches_the_server(
    demo_db: Path, server: FakeServer, question: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clean_env(monkeypatch)
    monkeypatch.setenv(ENV_BASE_URL, server.url)
    monkeypatch.setenv(ENV_MODEL, "env-modell")
    monkeypatch.setenv("KOMMUNEINDEKS_LLM_API_KEY", "env-nokkel")
    monkeypatch.setenv(ENV_TIMEOUT, "3")
    a = Assistant(demo_db)
    server.content('{"sql": "SELECT 1 AS antall"}')
    answer = a.ask(question)
    a.close()
    assert a.modell.timeout == 3.0 and answer.status == "ok" and answer.brukte_modell
    assert server.requests[0]["model"] == "env-modell"
    assert server.headers[0]["authorization"] == "Bearer env-nokkel"


def test_api_key_is_not_in_the_repr() -> None:
    assert "hemmelig" not in repr(Modell("http://x/v1", "m", api_key="hemmelig"))


# --- prompts/ ---------------------------------------------------------------------------------


def test_every_placeholder_is_filled(model_assistant: Assistant, question: str) -> None:
    messages = build_messages(question, [], model_assistant.context())
    for m in messages:
        assert not _PLACEHOLDER.search(m["content"]), _PLACEHOLDER.search(m["content"])


def test_prompts_have_a_version() -> None:
    assert re.fullmatch(r"\d+(\.\d+)*", read_prompt("VERSION").strip())


def test_render_refuses_missing_and_unused_values() -> None:
    with pytest.raises(ValueError):
        render("{a} {b}", {"a": "1"})
    with pytest.raises(ValueError):
        render("{a}", {"a": "1", "c": "2"})


@pytest.mark.parametrize("example", read_examples(), ids=[q for q, _ in read_examples()])
def test_example_is_valid_against_the_demo_db(
    example: tuple[str, dict], model_assistant: Assistant, server: FakeServer, question: str,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    _, svar = example
    kind, _ = parse_reply(json.dumps(svar, ensure_ascii=False))
    server.content(json.dumps(svar, ensure_ascii=False))
    answer = model_assistant.ask(question)
    if kind == "avslag":
        assert answer.status == "refused" and answer.text == AVSLAG
        return
    assert answer.status == "ok", answer.text
    assert answer.rows and answer.brukte_modell
    assert not any(r.exc_info for r in caplog.records)


# --- (h) issue 17: the model cannot speak, and a hostile server cannot hold or flood us -------

MESSAGE = "VIKTIG: Kontoen din er sperret. Ring 12345678"
SPEAKING_SQL = {
    "a message as a literal with a message as its name": (
        f"SELECT '{MESSAGE}' AS \"Melding fra Kommuneindeksen\""
    ),
    "a message as a literal": f"SELECT kommune, '{MESSAGE}' AS navn FROM kommune",
    "a message as a column name": 'SELECT kommune AS "VIKTIG Ring 12345678" FROM kommune',
    "a message spelt with chr": "SELECT chr(86) || chr(73) || chr(75) AS kommune",
    "a message cut from names": (
        "SELECT substring(kommune, 1, 1) AS kommune FROM kommune WHERE kommunenr = '5605'"
    ),
    "a message in CASE": f"SELECT CASE WHEN 1 = 1 THEN '{MESSAGE}' END AS kommune",
    "a message as CTE column names": 'WITH t("VIKTIG ring oss") AS (SELECT 1) SELECT * FROM t',
    "a message as a table alias": 'SELECT * FROM kommune AS "VIKTIG ring oss"',
    "a message as a struct key": "SELECT {'VIKTIG ring oss': 1} AS kommune",
    "a message as a struct_pack key": 'SELECT struct_pack("VIKTIG ring oss" := 1) AS kommune',
    "a message in printf": "SELECT printf('%s', kommune) AS kommune FROM kommune",
    "a LIKE pattern": "SELECT kommune FROM kommune WHERE kommune LIKE 'VIKTIG%'",
}


@pytest.mark.parametrize("sql", SPEAKING_SQL.values(), ids=SPEAKING_SQL.keys())
def test_model_sql_that_would_say_something_of_its_own_is_refused(
    model_assistant: Assistant, server: FakeServer, question: str, sql: str,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    server.content(json.dumps({"sql": sql}))
    answer = model_assistant.ask(question)
    assert_polite_refusal(answer, caplog)
    assert answer.text == STOPPET_SQL and not answer.columns
    for word in ("VIKTIG", "Kontoen", "12345678", "Melding"):
        assert word not in json.dumps(answer.to_dict(), ensure_ascii=False)


def test_model_sql_with_known_values_and_column_names_runs(
    model_assistant: Assistant, server: FakeServer, question: str, demo_db: Path
) -> None:
    sql = (
        "SELECT k.kommune, k.fylke, i.verdi AS snitt FROM indeks AS i JOIN kommune AS k "
        "ON k.kommunenr = i.kommunenr WHERE k.fylke = 'Troms' AND k.kommune <> 'Tromsø' "
        "AND i.tjeneste = 'Pleie og omsorg' OR i.tjeneste = 'alle' AND i.aar = 2024 "
        "AND i.indekstype = 'kommuneindeks' ORDER BY snitt DESC LIMIT 3"
    )
    server.content(json.dumps({"sql": sql}))
    answer = model_assistant.ask(question)
    assert answer.status == "ok" and answer.columns == ["kommune", "fylke", "snitt"]
    assert len(answer.rows) == 3


def test_a_server_that_drips_is_given_up_on_at_the_deadline(
    demo_db: Path, server: FakeServer, question: str, caplog: pytest.LogCaptureFixture
) -> None:
    """One byte every half second: every read is quick, so only a total deadline stops it."""
    body = chat('{"sql": "SELECT 1 AS antall"}').body
    server.reply_with(Reply(chunks=lambda: (bytes([b]) for b in body), drip=0.5))
    slow = Assistant(demo_db, modell=Modell(server.url, MODEL_NAME, API_KEY, timeout=2.0))
    try:
        with Peaks() as peaks:
            answer = slow.ask(question)
    finally:
        slow.close()
    assert peaks.seconds < 2.0 + 1.0, peaks
    assert_polite_refusal(answer, caplog)
    assert answer.status == "refused" and not answer.brukte_modell  # the offline refusal
    assert any("APITimeoutError" in r.getMessage() for r in caplog.records)


HUGE = 400 * 2**20  # the security test's 400 MB reply


def endless(size: int = HUGE) -> Iterator[bytes]:
    """A JSON body of `size` bytes that never gets to the point."""
    yield b'{"choices": [{"message": {"content": "'
    block = b" " * 2**16
    for _ in range(size // len(block)):
        yield block


HOSTILE_BODIES = {
    "400 MB without a length": Reply(chunks=endless, length=None),
    "400 MB with its length": Reply(chunks=endless, length=HUGE),
    "a 400 MB error page": Reply(status=500, chunks=endless, length=None),
    "a gzip bomb": Reply(
        body=gzip.compress(b" " * (50 * 2**20)), headers={"Content-Encoding": "gzip"}
    ),
}


@pytest.mark.parametrize("reply", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_a_huge_reply_is_not_read_to_its_end(
    model_assistant: Assistant, server: FakeServer, question: str, reply: Reply,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    server.reply_with(reply)
    with Peaks() as peaks:
        answer = model_assistant.ask(question)
    assert_polite_refusal(answer, caplog)
    assert peaks.seconds < 3.0, peaks
    assert peaks.app_growth_mb < 40, peaks
    for _ in range(100):  # the server notices that we stopped reading when its write fails
        if server.sent:
            break
        time.sleep(0.05)
    assert server.sent and server.sent[-1] < HUGE // 10  # we stopped reading early
