"""The language model's reply, read as a stream under a deadline and a byte cap (issue 17).

An HTTP client's timeout bounds each read, not the whole reply: a server that sends one byte
every few seconds can hold a question for minutes, and a reply of hundreds of megabytes is
read into memory before anyone looks at its length. So the model's client talks through
`CappedTransport`, which reads the body chunk by chunk and stops it once the total deadline has
passed or the byte cap is reached; it also refuses compressed replies, whose size on the wire
says nothing about their size unpacked. `before_deadline` runs the whole call in a thread and
stops waiting at the deadline, whatever a read is doing then.
"""

import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import httpx

__all__ = ["CappedTransport", "DeadlinePassed", "ReplyTooLarge", "before_deadline"]

T = TypeVar("T")
PLAIN = ("", "identity")


class ReplyTooLarge(httpx.ReadError):
    """The reply was longer than the byte cap, or compressed (so of unknown size)."""


class DeadlinePassed(httpx.ReadTimeout):
    """The reply was not complete by the deadline."""


class _CappedStream(httpx.SyncByteStream):
    """The body of a response, chunk by chunk, until the deadline or the byte cap."""

    def __init__(self, inner: httpx.SyncByteStream, deadline: float, max_bytes: int):
        self._inner = inner
        self._deadline = deadline
        self._max_bytes = max_bytes

    def __iter__(self) -> Iterator[bytes]:
        total = 0
        for chunk in self._inner:
            total += len(chunk)
            if total > self._max_bytes:
                raise ReplyTooLarge(f"svaret er over {self._max_bytes} bytes")
            if time.monotonic() > self._deadline:
                raise DeadlinePassed("svaret var ikke ferdig innen fristen")
            yield chunk

    def close(self) -> None:
        self._inner.close()


class CappedTransport(httpx.BaseTransport):
    """An HTTP transport whose response bodies stop at `deadline` (time.monotonic) or after
    `max_bytes`, and which refuses compressed bodies."""

    def __init__(self, deadline: float, max_bytes: int, inner: httpx.BaseTransport | None = None):
        self._deadline = deadline
        self._max_bytes = max_bytes
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        encoding = response.headers.get("content-encoding", "").strip().lower()
        length = response.headers.get("content-length", "")
        problem = ""
        if encoding not in PLAIN:
            problem = f"komprimert svar ({encoding})"
        elif length.isdigit() and int(length) > self._max_bytes:
            problem = f"svaret er {length} bytes, over {self._max_bytes}"
        if problem:
            response.close()
            raise ReplyTooLarge(problem, request=request)
        assert isinstance(response.stream, httpx.SyncByteStream)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_CappedStream(response.stream, self._deadline, self._max_bytes),
            extensions=response.extensions,
            request=request,
        )

    def close(self) -> None:
        self._inner.close()


def before_deadline(seconds: float, call: Callable[[], T], timeout: Callable[[], Exception]) -> T:
    """The result of `call()`, run in a thread; raises `timeout()` when it has not returned
    within `seconds` (the thread is left to end on its own: its reads stop at the deadline).

    >>> before_deadline(1.0, lambda: 42, TimeoutError)
    42
    >>> before_deadline(0.01, lambda: time.sleep(0.2), TimeoutError)
    Traceback (most recent call last):
    ...
    TimeoutError
    """
    box: queue.SimpleQueue[tuple[bool, object]] = queue.SimpleQueue()

    def run() -> None:
        try:
            box.put((True, call()))
        except BaseException as err:  # noqa: BLE001 — handed to the caller, who raises it
            box.put((False, err))

    threading.Thread(target=run, name="llm-call", daemon=True).start()
    try:
        ok, value = box.get(timeout=max(seconds, 0.0))
    except queue.Empty:
        raise timeout() from None
    if not ok:
        raise value  # type: ignore[misc]
    return value  # type: ignore[return-value]
