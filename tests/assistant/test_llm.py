"""The optional language model, against a fake OpenAI-compatible server on 127.0.0.1.

The real `openai` client talks to a small `http.server` that answers POST
/v1/chat/completions with a reply chosen by each test and records every request. The model
may only help read a question the offline parser refuses; whatever it sends back (a frame, SQL,
garbage, hostile SQL, an error, silence) ends in a checked answer or a polite refusal, and the
database file never changes.
"""

import hashlib
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assistant import Answer, Assistant
from assistant.llm.client import ENV_API_KEYS, ENV_BASE_URL, ENV_MODEL, ENV_TIMEOUT, Modell
from assistant.llm.prompt import build_messages, read_examples, read_prompt, render
from assistant.llm.read import AVSLAG, STOPPET_SQL, UKLART_SVAR
from assistant.llm.reply import parse_reply
from assistant.query.execute import connect_read_only
from assistant.settings import load_settings

ENV_VARS = (ENV_BASE_URL, ENV_MODEL, ENV_TIMEOUT, *ENV_API_KEYS)
MODEL_NAME = "fake-modell"
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


# --- the fake server -------------------------------------------------------------------------


@dataclass
class Reply:
    """What the fake server sends back for one request."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    delay: float = 0.0


def chat(content: str | None) -> Reply:
    """A chat-completion reply whose first choice says `content`."""
    return Reply(body=json.dumps({
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": MODEL_NAME,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
    }).encode())  # fmt: skip


def error(status: int) -> Reply:
    return Reply(status, json.dumps({"error": {"message": "nei", "type": "test"}}).encode())


@dataclass
class FakeServer:
    """An OpenAI-compatible chat endpoint; `respond` picks the reply for each request body."""

    respond: Callable[[dict], Reply] = lambda body: chat('{"avslag": "ikke satt"}')
    requests: list[dict] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    url: str = ""

    def reply_with(self, *replies: Reply) -> None:
        """Answer the next requests with `replies` in turn (the last one repeats)."""
        queue = list(replies)
        self.respond = lambda body: queue.pop(0) if len(queue) > 1 else queue[0]

    def content(self, text: str) -> None:
        self.reply_with(chat(text))


def _handler(fake: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = json.loads(raw or b"{}")
            fake.requests.append(body)
            fake.headers.append({k.lower(): v for k, v in self.headers.items()})
            reply = fake.respond(body) if self.path.endswith("/chat/completions") else error(404)
            if reply.delay:
                fake.stop.wait(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeServer]:
    fake = FakeServer()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NO_PROXY", "127.0.0.1,localhost")
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
        server.daemon_threads = True
        server.block_on_close = False
        fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield fake
        fake.stop.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def server(fake_server: FakeServer) -> FakeServer:
    """The shared fake server, with no recorded requests and a refusal as its reply."""
    fake_server.requests.clear()
    fake_server.headers.clear()
    fake_server.content('{"avslag": "ikke satt"}')
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
        error(400) if "response_format" in body else chat('{"sql": "SELECT 1 AS en"}')
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
        ({"sporsmaal": "rang", "kommuner": ["Atlantis"]}, "Atlantis"),
        (
            {"sporsmaal": "rang", "kommuner": ["<img src=x onerror=alert(1)>![](http://x/a.png)"]},
            "img",
        ),
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
    server.content('{"sql": "SELECT 1 AS en"}')
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
