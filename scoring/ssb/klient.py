"""Step 5: sequential GETs against PxWebApi v2 with pacing, retry with backoff and an on-disk cache.

Retries transport errors, 429 and 5xx (honouring Retry-After); other 4xx answers are a
FetchError at once. A body is cached, atomically, only after it has been parsed.
"""

import hashlib
import math
import os
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Self, TypeVar
from urllib.parse import urlsplit

import httpx

from scoring.errors import DataError, FetchError
from scoring.ssb.batcher import metadata_url
from scoring.ssb.jsonstat import TabellMeta, parse_metadata
from scoring.ssb.katalog import Henting

DEFAULT_BASE_URL = "https://data.ssb.no/api/pxwebapi/v2"
DEFAULT_CACHE_DIR = Path("data/cache/ssb")
USER_AGENT = "kommuneindeks/0.1 (+https://github.com/; Kilde: SSB)"
T = TypeVar("T")


class SsbClient:
    """Sequential GETs against PxWebApi v2 with retry, pacing and an on-disk cache by URL hash."""

    def __init__(
        self,
        limits: Henting,
        cache_dir: Path | None = DEFAULT_CACHE_DIR,
        refresh: bool = False,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.limits, self.cache_dir, self.refresh, self._sleep = limits, cache_dir, refresh, sleep
        timeout = httpx.Timeout(limits.tidsavbrudd_s, connect=min(10.0, limits.tidsavbrudd_s))
        self._http = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )
        self._last_request = -math.inf

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self._http.close()

    def get(self, url: str, table: str, parse: Callable[[str, str], T]) -> T:
        """Parse the cached body or download, parse and only then cache it (bad bodies never are)."""
        path = self._cache_path(url)
        if path and path.exists() and not self.refresh:
            try:
                return parse(path.read_text(encoding="utf-8"), table)
            except DataError:
                path.unlink()  # an unreadable cache entry is refetched, not trusted
        text = self._download(url, table)
        result = parse(text, table)
        if path:
            _write_atomic(path, text)
        return result

    def metadata(self, base_url: str, table: str) -> TabellMeta | None:
        """The table's metadata, or None when SSB says the table does not exist."""
        try:
            return self.get(metadata_url(base_url, table), table, parse_metadata)
        except _NoSuchTable:
            return None

    def _cache_path(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()}.json"

    def _download(self, url: str, table: str) -> str:
        problem = ""
        for attempt in range(1, self.limits.maks_forsok + 1):
            self._pace()
            try:
                response = self._http.get(url)
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as err:
                raise FetchError(f"Ugyldig adresse til SSB: {url} ({err}).") from err
            except httpx.TransportError as err:
                problem, pause = f"{type(err).__name__}: {err}", None
            else:
                if response.status_code == 200:
                    return response.text
                if response.status_code != 429 and response.status_code < 500:
                    raise _http_error(response, table, url)
                problem, pause = f"HTTP {response.status_code}", _retry_after(response)
            if attempt < self.limits.maks_forsok:
                self._sleep(self._backoff(attempt, pause))
        if problem.startswith("HTTP"):
            raise FetchError(
                f"SSB svarte fortsatt {problem} etter {self.limits.maks_forsok} forsøk "
                f"(tabell {table}). Prøv igjen senere."
            )
        host = urlsplit(url).netloc
        raise FetchError(
            f"Fikk ikke kontakt med SSB ({host}) etter {self.limits.maks_forsok} forsøk: "
            f"{problem}. Sjekk nettforbindelsen, eller last ned CSV fra statistikkbanken "
            f"og bruk «kommuneindeks data import-csv»."
        )

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        pause = (
            retry_after
            if retry_after is not None
            else self.limits.forste_pause_s * 2 ** (attempt - 1)
        )
        return min(max(pause, 0.0), self.limits.maks_pause_s)

    def _pace(self) -> None:
        wait = self._last_request + self.limits.min_intervall_s - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last_request = time.monotonic()


class _NoSuchTable(FetchError):
    """SSB's "Non-existent table": a catalogue problem, reported by the metadata check."""


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError):
        return None


def _http_error(response: httpx.Response, table: str, url: str) -> FetchError:
    try:
        title = response.json().get("title", "")
    except (ValueError, AttributeError):
        title = ""
    if title == "Non-existent table":
        return _NoSuchTable(f"Tabell {table} finnes ikke hos SSB.")
    if not title and response.text.lstrip().startswith("<"):
        return FetchError(
            f"SSB svarte HTTP {response.status_code} med en HTML-side for tabell {table}. "
            f"Det skjer når URL-en er for lang ({len(url)} tegn): senk maks_url_lengde "
            f"eller maks_regioner_per_kall i katalogen."
        )
    detail = f" «{title}»" if title else ""
    return FetchError(
        f"SSB avviste spørringen mot tabell {table}: HTTP {response.status_code}{detail}."
    )


def _write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so an interrupted run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
