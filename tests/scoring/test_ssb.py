"""scoring.ssb against a local HTTP server that answers like SSB's PxWebApi v2.

The server builds JSON-stat2 bodies on the pattern of the real 12134 response in
fixtures/ssb-responses/ (and serves the real bodies verbatim where they fit), checks
the selection like SSB does (400 for unknown codes and missing mandatory dimensions) and records
every URL. The client code runs unchanged: real httpx requests, no mocks.
"""

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import product
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kommuneindeks.cli_data import data
from scoring.errors import ConfigError, DataError, FetchError
from scoring.raadata import read_folder
from scoring.ssb import (
    Henting,
    Kommunekoder,
    SsbClient,
    fetch_raadata,
    load_katalog,
    parse_jsonstat,
    parse_metadata,
    plan_batches,
    to_2024_codes,
)
from tests.scoring.katalog import REGIONER, VARIABLER

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = Path(__file__).resolve().parent / "fixtures" / "ssb-responses"  # see its README
REAL_12134 = (RESPONSES / "12134_KOSAG110000_0301-4601-5001_2024.json").read_text(encoding="utf-8")
REAL_12362 = (RESPONSES / "12362_0301_2024_andel.json").read_text(encoding="utf-8")
REAL_404_HTML = (RESPONSES / "12134_url_too_long_404.html").read_text(encoding="utf-8")
# The URL of the recorded live call (fixtures/README.md).
REAL_12134_QUERY = (
    "/tables/12134/data?lang=no&format=json-stat2&valuecodes[KOKkommuneregion0000]=0301,4601,5001"
    "&valuecodes[ContentsCode]=KOSAG110000&valuecodes[Tid]=2024"
)
KOMMUNER = ROOT / "data" / "reference" / "kommuner.csv"
KODEENDRINGER = ROOT / "data" / "reference" / "kodeendringer.json"
YEARS = [2022, 2023, 2024]

CURRENT = sorted(pd.read_csv(KOMMUNER, dtype={"kommunenr": str})["kommunenr"])
RENAMED = {
    old["code"]: new
    for new, item in json.loads(KODEENDRINGER.read_text(encoding="utf-8"))["endringer"].items()
    for old in item["oldCodes"]
}
OLD = set(RENAMED)  # includes 1507 (the split Ålesund)
NEW_SINCE_2024 = set(RENAMED.values()) | {"1580"}
SYMBOLS = {("0301", 2022): "..", ("4601", 2023): ":", ("5001", 2024): None}


def fake_value(coords: dict[str, str], geo: str) -> float | str | None:
    """SSB-like figures: none under old codes from 2024 or under new codes before (no back-casting)."""
    region, year = coords[geo], int(coords["Tid"])
    if (region in OLD and year >= 2024) or (region in NEW_SINCE_2024 and year < 2024):
        return None
    if (region, year) in SYMBOLS:
        return SYMBOLS[(region, year)]
    extra = sum(sum(map(ord, c)) for d, c in coords.items() if d not in (geo, "Tid")) % 50
    return float(int(region) % 1000 + (year - 2000) * 10 + extra) if region.isdigit() else 1.0


@dataclass
class FakeTable:
    label: str
    dims: dict[str, dict[str, str]]  # dimension -> {code: label}, in the table's order
    geo: str = "KOKkommuneregion0000"
    eliminable: set[str] = field(default_factory=set)


def region_codes(extra: tuple[str, ...] = ("EAK", "EAKUO", "EKA03", "EKG13")) -> dict[str, str]:
    return {c: c for c in [*extra, *sorted(set(CURRENT) | OLD)]}


YEAR_CODES = {str(y): str(y) for y in range(2020, 2026)}


def fake_tables() -> dict[str, FakeTable]:
    kostra = region_codes()
    return {
        "12134": FakeTable(
            "12134: Utvalgte nøkkeltall for kommuneregnskap, kommunekonsern, etter region og år",
            {
                "KOKkommuneregion0000": kostra,
                "ContentsCode": {
                    "KOSAG110000": "Frie inntekter per innbygger (kr)",
                    "KOSAGD230000": "Netto driftresultat i prosent av brutto driftsinntekter",
                },
                "Tid": YEAR_CODES,
            },
        ),
        "12362": FakeTable(
            "12362: Utgifter til tjenesteområdene, kommunekonsern, etter region, funksjon, art",
            {
                "KOKkommuneregion0000": kostra,
                "KOKfunksjon0000": {
                    "FGK7": "Barnehage",
                    "FGK9": "Helse- og omsorg",
                    "232": "232 Helsestasjons- og skolehelsetjeneste",
                    "233": "233 Annet forebyggende helsearbeid",
                    "241": "241 Diagnose, behandling, re-/habilitering",
                },
                "KOKart0000": {"AGD2": "Netto driftsutgifter", "AGD10": "Brutto driftsutgifter"},
                "ContentsCode": {
                    "KOSbelop0000": "Beløp (1000 kr)",
                    "KOSandel3501": "Andel av totale utgifter (prosent)",
                },
                "Tid": YEAR_CODES,
            },
        ),
        "07459": FakeTable(
            "07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år",
            {
                "Region": region_codes(("0", "03", "30")),
                "Kjonn": {"1": "Menn", "2": "Kvinner"},
                "Alder": {"000": "0 år", "001": "1 år"},
                "ContentsCode": {"Personer1": "Personer"},
                "Tid": {str(y): str(y) for y in range(2020, 2026)},
            },
            geo="Region",
            eliminable={"Kjonn", "Alder"},
        ),
        "13502": FakeTable(
            "13502: Utvalgte nøkkeltall for barnehager",
            {
                "KOKkommuneregion0000": kostra,
                "ContentsCode": {"KOSandel150000": "Andel barn 1-5 år i barnehage (prosent)"},
                "Tid": YEAR_CODES,
            },
        ),
        "12143": FakeTable(
            "12143: Finansielle nøkkeltall i prosent av brutto driftsinntekter, kommunekonsern",
            {
                "KOKkommuneregion0000": kostra,
                "KOKartkap0000": {"KG31": "Netto lånegjeld", "57": "Disposisjonsfond, drift"},
                "ContentsCode": {"KOSbelopbrinv0000": "Andel av brutto driftsinntekter (%)"},
                "Tid": YEAR_CODES,
            },
        ),
    }


def dataset(table: str, spec: FakeTable, dims: dict[str, list[str]], values=None) -> dict:
    """A JSON-stat2 body shaped like the real 12134 response."""
    real = json.loads(REAL_12134)
    body = {k: real[k] for k in ("version", "class", "source", "updated", "note")}
    body["label"] = spec.label
    body["role"] = {"time": ["Tid"], "geo": [spec.geo], "metric": ["ContentsCode"]}
    body["id"], body["size"] = list(dims), [len(c) for c in dims.values()]
    body["dimension"] = {
        d: {
            "label": d.lower(),
            "category": {
                "index": {c: i for i, c in enumerate(codes)},
                "label": {c: spec.dims[d][c] for c in codes},
            },
            "extension": {"elimination": d in spec.eliminable, "show": "code_value"},
        }
        for d, codes in dims.items()
    }
    body["extension"] = {**real["extension"], "px": {**real["extension"]["px"], "tableid": table}}
    if values is not None:
        body["value"] = [v if isinstance(v, float) else None for v in values]
        body["status"] = {str(i): v for i, v in enumerate(values) if isinstance(v, str)}
    return body


def problem(title: str, status: int) -> tuple[int, str, dict]:
    body = {"type": "Parameter error", "title": title, "status": status}
    return 400, json.dumps(body), {"Content-Type": "application/problem+json"}


class FakeSsb:
    """The answers, the recorded URLs and scripted failures (served once each, in order)."""

    def __init__(self) -> None:
        self.tables = fake_tables()
        self.requests: list[str] = []
        self.scripted: list[
            tuple[str, int, str, dict]
        ] = []  # (path contains, status, body, headers)
        self.base_url = ""

    def data_requests(self, table: str = "") -> list[str]:
        return [u for u in self.requests if f"/tables/{table}" in u and "/data?" in u]

    def answer(self, path: str) -> tuple[int, str, dict]:
        self.requests.append(self.base_url + path.removeprefix("/api/pxwebapi/v2"))
        for i, (needle, status, body, headers) in enumerate(self.scripted):
            if needle in path:
                del self.scripted[i]
                return status, body, headers
        parts = urlsplit(path)
        *_, table, kind = parts.path.split("/")
        spec = self.tables.get(table)
        if spec is None:
            return problem("Non-existent table", 404)
        if kind == "metadata":
            return (
                200,
                json.dumps(dataset(table, spec, {d: list(c) for d, c in spec.dims.items()})),
                {},
            )
        return self._data(table, spec, dict(parse_qsl(parts.query)))

    def _data(self, table: str, spec: FakeTable, query: dict[str, str]) -> tuple[int, str, dict]:
        dims = {}
        for dim, codes in spec.dims.items():
            wanted = query.get(f"valuecodes[{dim}]")
            if wanted is None:
                if dim in spec.eliminable:
                    continue
                return problem("Missing selection for mandantory variable", 400)
            if any(c not in codes for c in wanted.split(",")):
                return problem("Non-existent value", 400)
            dims[dim] = [c for c in codes if c in wanted.split(",")]
        values = [fake_value(dict(zip(dims, combo)), spec.geo) for combo in product(*dims.values())]
        return 200, json.dumps(dataset(table, spec, dims, values), ensure_ascii=False), {}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body, headers = self.server.fake.answer(self.path)
        payload = body.encode("utf-8")
        self.send_response(status)
        self.send_header(
            "Content-Type", headers.pop("Content-Type", "application/json; charset=utf-8")
        )
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        """Quiet: the tests read `FakeSsb.requests` instead."""


@contextmanager
def serve() -> Iterator[FakeSsb]:
    fake = FakeSsb()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.fake = fake
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/api/pxwebapi/v2"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def ssb() -> Iterator[FakeSsb]:
    with serve() as fake:
        yield fake


FAST = """
[henting]
maks_forsok = 3
forste_pause_s = 0.001
maks_pause_s = 0.01
min_intervall_s = 0
tidsavbrudd_s = 5
"""

TEST_KATALOG = """
kommuneliste = {kommuner}
kodeendringer = {kodeendringer}
indikatorkatalog = "indikatorer.csv"
{fast}
""" + REGIONER + """
[tabell.12134]
region = "KOKkommuneregion0000"

[tabell.07459]
region = "Region"

""" + VARIABLER

INDIKATORER = """indikator,tjeneste,ssb_tabell,ssb_contentscode
barnehagedekning,barnehage,13502,KOSandel150000
nasjonale_prover,grunnskole,,
uten_kode,barnehage,13502,
"""


def write_katalog(folder: Path, extra: str = "", fast: str = FAST) -> Path:
    path = folder / "ssb_katalog.toml"
    path.write_text(
        TEST_KATALOG.format(
            kommuner=json.dumps(str(KOMMUNER)),
            kodeendringer=json.dumps(str(KODEENDRINGER)),
            fast=fast,
        )
        + extra,
        encoding="utf-8",
    )
    (folder / "indikatorer.csv").write_text(INDIKATORER, encoding="utf-8")
    return path


@pytest.fixture
def katalog(tmp_path: Path) -> Path:
    return write_katalog(tmp_path)


def fetch(ssb: FakeSsb, katalog: Path, cache: Path, **kwargs) -> pd.DataFrame:
    return fetch_raadata(
        YEARS, base_url=ssb.base_url, cache_dir=cache, katalog_path=katalog, **kwargs
    )


@dataclass
class Fetched:
    df: pd.DataFrame
    requests: list[str]

    def data_requests(self, table: str = "") -> list[str]:
        return [u for u in self.requests if f"/tables/{table}" in u and "/data?" in u]


@pytest.fixture(scope="module")
def fetched(tmp_path_factory) -> Fetched:
    """One full fetch with the test catalogue, shared by the tests that only read its result."""
    folder = tmp_path_factory.mktemp("fetched")
    with serve() as fake:
        df = fetch(fake, write_katalog(folder), folder / "cache")
        return Fetched(df, list(fake.requests))


def value_of(df: pd.DataFrame, variabel: str, kommunenr: str, aar: int) -> float:
    row = df[(df["variabel"] == variabel) & (df["kommunenr"] == kommunenr) & (df["aar"] == aar)]
    assert len(row) == 1, (variabel, kommunenr, aar)
    return row["verdi"].iloc[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- Parsing real and broken bodies --------------------------------------------------------------


def test_real_12134_body_parses_to_one_row_per_municipality():
    df = parse_jsonstat(REAL_12134, "12134")
    assert list(df.columns) == ["KOKkommuneregion0000", "ContentsCode", "Tid", "value", "status"]
    assert dict(zip(df["KOKkommuneregion0000"], df["value"])) == {
        "0301": 81240.0,
        "4601": 66605.0,
        "5001": 62853.0,
    }


def test_real_12362_body_keeps_ssb_order_of_the_function_groups():
    df = parse_jsonstat(REAL_12362, "12362")
    assert len(df) == 8
    assert df.set_index("KOKfunksjon0000")["value"].to_dict()["FGK9"] == 24.8
    assert df["KOKfunksjon0000"].tolist()[:3] == ["FGK12", "FGK13", "FGK14"]


def test_real_html_404_page_is_a_data_error_naming_the_table():
    with pytest.raises(DataError, match="HTML.*tabell 12134"):
        parse_jsonstat(REAL_404_HTML, "12134")


def test_truncated_json_is_a_data_error_naming_the_table():
    with pytest.raises(DataError, match="tabell 12134 er ikke gyldig JSON"):
        parse_jsonstat(REAL_12134[: len(REAL_12134) // 2], "12134")


def test_fewer_values_than_the_sizes_give_is_a_data_error():
    body = json.loads(REAL_12134)
    body["value"] = body["value"][:2]
    with pytest.raises(DataError, match="tabell 12134 har 2 verdier, men dimensjonene gir 3"):
        parse_jsonstat(json.dumps(body), "12134")


def test_a_size_that_does_not_match_the_codes_is_a_data_error():
    body = json.loads(REAL_12134)
    body["size"] = [4, 1, 1]
    with pytest.raises(DataError, match="KOKkommuneregion0000 har 3 koder"):
        parse_jsonstat(json.dumps(body), "12134")


def test_a_body_that_is_not_a_dataset_is_a_data_error():
    body = json.loads(REAL_12134) | {"class": "collection"}
    with pytest.raises(DataError, match="ikke et JSON-stat2-datasett"):
        parse_jsonstat(json.dumps(body), "12134")


def test_null_values_and_status_symbols_stay_as_missing_rows():
    body = json.loads(REAL_12134)
    body["value"] = [None, None, 62853]
    body["status"] = {"0": "..", "1": ":"}
    df = parse_jsonstat(json.dumps(body), "12134")
    assert len(df) == 3
    assert df["value"].isna().tolist() == [True, True, False]
    assert df["status"].tolist() == ["..", ":", None]


def test_a_status_symbol_hides_a_value_that_ssb_sent_anyway():
    body = json.loads(REAL_12134) | {"status": {"2": "."}}
    assert parse_jsonstat(json.dumps(body), "12134")["value"].isna().tolist() == [
        False,
        False,
        True,
    ]


# --- HTTP: retries, errors, cache ----------------------------------------------------------------


def client(cache: Path | None, **limits) -> SsbClient:
    settings = {"maks_forsok": 3, "forste_pause_s": 0.001, "min_intervall_s": 0} | limits
    return SsbClient(Henting(**settings), cache)


def test_429_is_retried_then_succeeds(ssb: FakeSsb, tmp_path: Path):
    ssb.scripted = [
        ("/data", 429, "", {"Retry-After": "0"}),
        ("/data", 200, REAL_12134, {}),
    ]
    started = time.monotonic()
    with client(tmp_path, forste_pause_s=30) as c:
        df = c.get(ssb.base_url + REAL_12134_QUERY, "12134", parse_jsonstat)
    assert time.monotonic() - started < 10  # Retry-After: 0 beats the 30 s backoff
    assert len(ssb.requests) == 2
    assert df["value"].tolist() == [81240.0, 66605.0, 62853.0]


def test_server_errors_until_the_last_attempt_raise_fetch_error(ssb: FakeSsb, tmp_path: Path):
    ssb.scripted = [("/data", 503, "Service Unavailable", {})] * 3
    with client(tmp_path) as c, pytest.raises(FetchError, match="503 etter 3 forsøk.*tabell 12134"):
        c.get(ssb.base_url + REAL_12134_QUERY, "12134", parse_jsonstat)
    assert len(ssb.requests) == 3


def test_the_real_html_404_for_a_long_url_points_at_the_url_length(ssb: FakeSsb, tmp_path: Path):
    ssb.scripted = [("/data", 404, REAL_404_HTML, {"Content-Type": "text/html"})]
    with client(tmp_path) as c, pytest.raises(FetchError, match="URL-en er for lang"):
        c.get(ssb.base_url + REAL_12134_QUERY, "12134", parse_jsonstat)
    assert len(ssb.requests) == 1  # a 404 is not retried


def test_an_html_body_with_status_200_is_a_data_error_and_is_not_cached(
    ssb: FakeSsb, tmp_path: Path
):
    ssb.scripted = [("/data", 200, REAL_404_HTML, {"Content-Type": "text/html"})]
    with client(tmp_path / "cache") as c, pytest.raises(DataError, match="tabell 12134"):
        c.get(ssb.base_url + REAL_12134_QUERY, "12134", parse_jsonstat)
    assert not list((tmp_path / "cache").glob("*"))


def test_no_server_listening_is_a_fetch_error_saying_ssb_could_not_be_reached(tmp_path: Path):
    url = f"http://127.0.0.1:{closed_port()}/api/pxwebapi/v2" + REAL_12134_QUERY
    with client(tmp_path) as c, pytest.raises(FetchError, match="Fikk ikke kontakt med SSB"):
        c.get(url, "12134", parse_jsonstat)


# --- The whole fetch ----------------------------------------------------------------------------


def test_fetch_gives_validated_raadata_for_every_catalogue_variable(fetched: Fetched):
    df = fetched.df
    assert list(df.columns) == ["aar", "kommunenr", "variabel", "verdi", "kilde"]
    assert set(df["variabel"]) == {
        "innbyggere",
        "finans.netto_driftsresultat_pst",
        "netto_driftsutgifter.barnehage",
        "netto_driftsutgifter.helse",
        "indikator.barnehagedekning",
    }
    assert set(df["aar"]) == set(YEARS)
    assert set(df["kommunenr"]) == set(CURRENT)
    assert set(df.loc[df["variabel"] == "innbyggere", "kilde"]) == {"SSB tabell 07459"}


def test_several_codes_are_summed_and_1000_kr_become_kr(fetched: Fetched):
    df = fetched.df
    coords = {"KOKart0000": "AGD2", "ContentsCode": "KOSbelop0000", "Tid": "2024"}
    parts = [
        fake_value(
            {"KOKkommuneregion0000": "1103", "KOKfunksjon0000": f, **coords}, "KOKkommuneregion0000"
        )
        for f in ("232", "233", "241")
    ]
    assert value_of(df, "netto_driftsutgifter.helse", "1103", 2024) == 1000 * sum(parts)


def test_population_at_end_of_year_is_read_from_1_january_the_year_after(fetched: Fetched):
    df = fetched.df
    expected = fake_value({"Region": "1103", "ContentsCode": "Personer1", "Tid": "2024"}, "Region")
    assert value_of(df, "innbyggere", "1103", 2023) == expected


def test_old_code_3029_gives_lorenskog_3222_before_2024(fetched: Fetched):
    df = fetched.df
    geo = "KOKkommuneregion0000"
    for year, code in [(2022, "3029"), (2023, "3029"), (2024, "3222")]:
        expected = fake_value({geo: code, "ContentsCode": "KOSAGD230000", "Tid": str(year)}, geo)
        assert value_of(df, "finans.netto_driftsresultat_pst", "3222", year) == expected
    # Population of aar 2022 is 1 January 2023, still under 3029; aar 2023 is under 3222.
    old = fake_value({"Region": "3029", "ContentsCode": "Personer1", "Tid": "2023"}, "Region")
    assert value_of(df, "innbyggere", "3222", 2022) == old
    assert "3029" not in set(df["kommunenr"])


def test_split_code_1507_is_dropped_with_a_warning_naming_it(fetched: Fetched):
    df = fetched.df
    warning = next(w for w in df.attrs["advarsler"] if "1507" in w)
    assert "1508 og 1580" in warning
    assert pd.isna(value_of(df, "finans.netto_driftsresultat_pst", "1508", 2023))


def test_missing_values_from_ssb_are_kept_as_missing_rows(fetched: Fetched):
    df = fetched.df
    for kommunenr, aar in [("0301", 2022), ("4601", 2023), ("5001", 2024)]:
        assert pd.isna(value_of(df, "finans.netto_driftsresultat_pst", kommunenr, aar))


def test_unknown_region_codes_are_rejected_by_name():
    koder = Kommunekoder(frozenset({"3222"}), {"3029": ("3222", 2024)}, {}, ("EAK",))
    rows = pd.DataFrame(
        {
            "aar": [2023, 2023],
            "kommunenr": ["0101", "3029"],
            "variabel": ["v", "v"],
            "verdi": [1.0, 2.0],
            "kilde": ["SSB", "SSB"],
            "periode": [2023, 2023],
        }
    )
    with pytest.raises(DataError, match="ukjente kommunenummer.*0101"):
        to_2024_codes(rows, koder, "SSB tabell 12134")


def test_a_value_under_one_code_beats_a_missing_value_under_the_other():
    koder = Kommunekoder(frozenset({"3222"}), {"3029": ("3222", 2024)}, {}, ())
    rows = pd.DataFrame(
        {
            "aar": [2023, 2023],
            "kommunenr": ["3029", "3222"],
            "variabel": ["innbyggere", "innbyggere"],
            "verdi": [float("nan"), 48000.0],
            "kilde": ["SSB", "SSB"],
            "periode": [2023, 2023],
        }
    )
    out, _ = to_2024_codes(rows, koder, "SSB")
    assert out[["kommunenr", "verdi"]].values.tolist() == [["3222", 48000.0]]


def test_batches_keep_every_url_well_under_the_length_that_gave_404(fetched: Fetched):
    urls = fetched.data_requests("12134")
    assert len(urls) >= 4  # 357 municipalities and their old codes do not fit in one call
    assert max(len(u) for u in fetched.data_requests()) < 1500  # the 404 came at 4 365 chars
    asked = [
        c
        for u in urls
        for c in dict(parse_qsl(urlsplit(u).query))["valuecodes[KOKkommuneregion0000]"].split(",")
    ]
    assert sorted(asked) == sorted(set(asked)) and set(CURRENT) <= set(asked)
    assert not {"EAK", "EKG13"} & set(asked)  # aggregates are not asked for


@settings(max_examples=60, deadline=None)
@given(
    regions=st.lists(st.from_regex(r"[0-9]{4}", fullmatch=True), unique=True, max_size=400),
    max_len=st.integers(300, 3000),
    max_regions=st.integers(1, 150),
)
def test_batches_ask_for_every_region_once_within_the_limits(regions, max_len, max_regions):
    limits = Henting(maks_url_lengde=max_len, maks_regioner_per_kall=max_regions)
    fixed = {"ContentsCode": ["KOSAGD230000"], "Tid": ["2022", "2023", "2024"]}
    urls = plan_batches("http://127.0.0.1/api/pxwebapi/v2", "12134", "R", regions, fixed, limits)
    asked = [
        c for u in urls for c in dict(parse_qsl(urlsplit(u).query))["valuecodes[R]"].split(",")
    ]
    assert asked == regions
    assert all(len(u) <= max_len for u in urls)
    assert all(u.count(",") - 2 < max_regions for u in urls)  # commas: regions - 1, years 2


def test_a_smaller_url_limit_gives_more_batches(ssb: FakeSsb, tmp_path: Path):
    katalog = write_katalog(tmp_path, fast=FAST + "maks_url_lengde = 600\n")
    fetch(ssb, katalog, tmp_path / "cache")
    assert len(ssb.data_requests("12134")) > 5  # 5 with the default limit of 1500
    assert max(len(u) for u in ssb.data_requests()) <= 600


def test_second_fetch_is_served_from_the_cache_without_requests(ssb, katalog, tmp_path):
    first = fetch(ssb, katalog, tmp_path / "cache")
    ssb.requests.clear()
    second = fetch(ssb, katalog, tmp_path / "cache")
    assert ssb.requests == []
    pd.testing.assert_frame_equal(first, second)


def test_refresh_ignores_the_cache(ssb: FakeSsb, katalog: Path, tmp_path: Path):
    fetch(ssb, katalog, tmp_path / "cache")
    ssb.requests.clear()
    fetch(ssb, katalog, tmp_path / "cache", refresh=True)
    assert ssb.data_requests()


def test_metadata_check_catches_a_contents_code_that_does_not_exist(ssb, tmp_path: Path):
    katalog = write_katalog(
        tmp_path,
        '\n[variabel."finans.frie_inntekter"]\ntabell = "12134"\ncontentscode = "KOSfinnesikke0000"\n',
    )
    with pytest.raises(
        ConfigError, match="tabell 12134 har ikke koden «KOSfinnesikke0000» i ContentsCode"
    ):
        fetch(ssb, katalog, tmp_path / "cache")
    assert ssb.data_requests() == []  # nothing is fetched before the catalogue is right


def test_metadata_check_lists_codes_whose_label_matches_the_hint(ssb: FakeSsb, tmp_path: Path):
    entry = """
[variabel."finans.disposisjonsfond_pst"]
tabell = "12143"
contentscode = "KOSbelopbrinv0000"
filter = { KOKartkap0000 = ["56"] }
hint = { KOKartkap0000 = "disposisjonsfond" }
"""
    with pytest.raises(
        ConfigError, match="«56» i KOKartkap0000; koder med «disposisjonsfond» i navnet: 57"
    ):
        fetch(ssb, write_katalog(tmp_path, entry), tmp_path / "cache")


def test_metadata_check_reports_a_table_that_does_not_exist(ssb: FakeSsb, tmp_path: Path):
    entry = '\n[variabel."finans.ukjent"]\ntabell = "99999"\ncontentscode = "X"\n'
    with pytest.raises(ConfigError, match="tabell 99999 finnes ikke hos SSB"):
        fetch(ssb, write_katalog(tmp_path, entry), tmp_path / "cache")


def test_metadata_check_requires_codes_for_mandatory_dimensions(ssb: FakeSsb, tmp_path: Path):
    entry = '\n[variabel."finans.gjeld"]\ntabell = "12143"\ncontentscode = "KOSbelopbrinv0000"\n'
    with pytest.raises(ConfigError, match="må velge kode.*KOKartkap0000"):
        fetch(ssb, write_katalog(tmp_path, entry), tmp_path / "cache")


def test_entries_of_one_table_must_choose_the_same_dimensions(ssb: FakeSsb, tmp_path: Path):
    entry = '\n[variabel."finans.uten_art"]\ntabell = "12362"\ncontentscode = "KOSbelop0000"\n'
    with pytest.raises(ConfigError, match="finans.uten_art: .*må velge kode.*KOKart0000"):
        fetch(ssb, write_katalog(tmp_path, entry), tmp_path / "cache")


def test_skip_invalid_fetches_the_rest_and_warns(ssb: FakeSsb, tmp_path: Path):
    entry = '\n[variabel."finans.frie"]\ntabell = "12134"\ncontentscode = "KOSfinnesikke0000"\n'
    df = fetch(ssb, write_katalog(tmp_path, entry), tmp_path / "cache", skip_invalid=True)
    assert "finans.frie" not in set(df["variabel"])
    assert "finans.netto_driftsresultat_pst" in set(df["variabel"])
    assert any("KOSfinnesikke0000" in w for w in df.attrs["advarsler"])


def test_indicators_without_a_contents_code_are_reported_not_fetched(fetched: Fetched):
    df = fetched.df
    assert any("uten_kode (13502)" in w for w in df.attrs["advarsler"])
    assert not any("nasjonale_prover" in v for v in df["variabel"])


def test_years_ssb_has_not_published_become_a_warning(ssb: FakeSsb, katalog: Path, tmp_path: Path):
    df = fetch_raadata(
        [2025], base_url=ssb.base_url, cache_dir=tmp_path / "c", katalog_path=katalog
    )
    assert any("07459 har ikke år 2026" in w for w in df.attrs["advarsler"])
    assert "innbyggere" not in set(df["variabel"])


def test_interrupt_leaves_only_complete_cache_files(ssb: FakeSsb, katalog: Path, tmp_path: Path):
    def interrupt(what: str, done: int, total: int) -> None:
        if what.startswith("Henter") and done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fetch(ssb, katalog, tmp_path / "cache", progress=interrupt)
    files = list((tmp_path / "cache").iterdir())
    assert files and all(f.suffix == ".json" and not f.name.startswith(".") for f in files)
    for f in files:
        json.loads(f.read_text(encoding="utf-8"))


def test_a_cache_write_interrupted_before_the_rename_leaves_no_file(ssb, tmp_path, monkeypatch):
    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr("scoring.ssb.klient.os.replace", interrupted)  # Ctrl-C between write and rename
    with client(tmp_path / "cache") as c, pytest.raises(KeyboardInterrupt):
        c.get(ssb.base_url + "/tables/12134/metadata?lang=no", "12134", parse_metadata)
    assert list((tmp_path / "cache").iterdir()) == []


def test_progress_is_reported_up_to_the_total(ssb: FakeSsb, katalog: Path, tmp_path: Path):
    seen: list[tuple[str, int, int]] = []
    fetch(ssb, katalog, tmp_path / "cache", progress=lambda *a: seen.append(a))
    last = seen[-1]
    assert last[1] == last[2] == len(ssb.data_requests())


# --- The real catalogue --------------------------------------------------------------------------


def test_real_catalogue_has_every_cost_service_and_says_how_sure_it_is():
    katalog = load_katalog(ROOT / "data" / "ssb_katalog.toml", indikatorer=False)
    by_name = {v.navn: v for v in katalog.variabler}
    services = [
        "grunnskole",
        "barnehage",
        "barnevern",
        "pleie_og_omsorg",
        "helse",
        "sosial",
        "administrasjon",
    ]
    for s in services:
        assert by_name[f"netto_driftsutgifter.{s}"].tabell == "12362"
        aga = by_name[f"arbeidsgiveravgift.{s}"]
        assert (aga.tabell, aga.filter["KOKart0000"], aga.filter["KOKregnskapsomfa0000"]) == (
            "12367",
            ("A099",),
            ("A",),
        )
        assert (
            by_name[f"netto_driftsutgifter.{s}"].filter["KOKfunksjon0000"]
            == aga.filter["KOKfunksjon0000"]
        )
    assert by_name["finans.disposisjonsfond_pst"].sikkerhet == "inferred"
    assert by_name["finans.netto_driftsresultat_pst"].sikkerhet == "confirmed"
    assert by_name["innbyggere"].tid_forskyvning == 1
    assert katalog.regiondim["07459"] == "Region"
    assert "1507" in katalog.koder.delt and "1507" not in katalog.koder.omnummerert
    for table in katalog.tabeller():  # the metadata check demands this; catch it offline too
        assert len({frozenset(v.filter) for v in katalog.variabler if v.tabell == table}) == 1


# --- The command line ----------------------------------------------------------------------------


def test_cli_data_fetch_writes_ssb_csv_that_raadata_reads_back(
    ssb: FakeSsb, katalog: Path, tmp_path: Path
):
    out = tmp_path / "raadata"
    args = ["fetch", "--years", "2022-2024", "--base-url", ssb.base_url]
    args += ["--cache", str(tmp_path / "cache"), "--out", str(out), "--katalog", str(katalog)]
    result = CliRunner().invoke(data, args)
    assert result.exit_code == 0, result.output
    assert "Skrev" in result.output
    back = read_folder(out)
    assert set(back["aar"]) == set(YEARS) and (out / "ssb.csv").exists()
    assert not list(out.glob("*.tmp"))


def test_cli_data_fetch_without_a_server_fails_and_writes_nothing(katalog: Path, tmp_path: Path):
    out = tmp_path / "raadata"
    args = ["fetch", "--years", "2024", "--base-url", f"http://127.0.0.1:{closed_port()}/api"]
    args += ["--cache", str(tmp_path / "cache"), "--out", str(out), "--katalog", str(katalog)]
    result = CliRunner().invoke(data, args)
    assert result.exit_code != 0
    assert "Fikk ikke kontakt med SSB" in result.output
    assert not out.exists()


def test_cli_rejects_a_malformed_year_range(katalog: Path):
    result = CliRunner().invoke(data, ["fetch", "--years", "2024-2022", "--katalog", str(katalog)])
    assert result.exit_code != 0 and "sluttåret" in result.output


def test_cli_catalogue_errors_are_shown_in_norwegian(ssb: FakeSsb, tmp_path: Path):
    katalog = write_katalog(
        tmp_path, '\n[variabel."finans.x"]\ntabell = "12134"\ncontentscode = "NEI"\n'
    )
    args = ["fetch", "--years", "2024", "--base-url", ssb.base_url, "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(
        data, [*args, "--cache", str(tmp_path / "c"), "--katalog", str(katalog)]
    )
    assert result.exit_code == 1
    assert "stemmer ikke med SSBs metadata" in result.output and "«NEI»" in result.output
    assert not (tmp_path / "o").exists()
