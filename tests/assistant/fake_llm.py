"""A fake OpenAI-compatible chat server on 127.0.0.1, for the model's tests and the browser test.

It answers POST /v1/chat/completions with a reply each test chooses, and records every request.
A reply can also be slow, arrive a byte at a time, be endless or be compressed: the hostile
servers of issue 17.
"""

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL_NAME = "fake-modell"


@dataclass
class Reply:
    """What the fake server sends back for one request: `body`, or else the bytes of `chunks`
    one by one, `drip` seconds apart. `length` is the Content-Length to announce: by default
    the body's, or none for chunks."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    delay: float = 0.0
    chunks: Callable[[], Iterable[bytes]] | None = None
    drip: float = 0.0
    length: int | None = -1
    headers: dict[str, str] = field(default_factory=dict)


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
    sent: list[int] = field(default_factory=list)  # bytes of body sent, per reply
    url: str = ""

    def reply_with(self, *replies: Reply) -> None:
        """Answer the next requests with `replies` in turn (the last one repeats)."""
        queue = list(replies)
        self.respond = lambda body: queue.pop(0) if len(queue) > 1 else queue[0]

    def content(self, text: str) -> None:
        self.reply_with(chat(text))

    def reset(self) -> None:
        self.requests.clear()
        self.headers.clear()
        self.sent.clear()
        self.content('{"avslag": "ikke satt"}')


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
            sent = 0
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                length = reply.length
                if length == -1:
                    length = None if reply.chunks else len(reply.body)
                if length is not None:
                    self.send_header("Content-Length", str(length))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                for chunk in reply.chunks() if reply.chunks else [reply.body]:
                    if fake.stop.wait(reply.drip) if reply.drip else fake.stop.is_set():
                        break
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout and size tests)
            finally:
                fake.sent.append(sent)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serving() -> Iterator[FakeServer]:
    """A fake server on a free port of 127.0.0.1, until the block ends."""
    fake = FakeServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    server.block_on_close = False
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.stop.set()
        server.shutdown()
        server.server_close()
