"""Step 4: plan the GET URLs: region codes in batches under SSB's code, URL-length and cell limits."""

import math
from urllib.parse import quote

from scoring.errors import ConfigError
from scoring.ssb.katalog import Henting


def data_url(base_url: str, table: str, selection: dict[str, list[str]]) -> str:
    """The GET URL of a data query, with literal brackets and commas as SSB's examples use.

    >>> data_url("https://x/v2", "12134", {"ContentsCode": ["KOSAG110000"], "Tid": ["2023", "2024"]})
    'https://x/v2/tables/12134/data?lang=no&format=json-stat2&valuecodes[ContentsCode]=KOSAG110000&valuecodes[Tid]=2023,2024'
    """
    parts = [
        f"valuecodes[{dim}]=" + ",".join(_quote(c) for c in codes)
        for dim, codes in selection.items()
    ]
    return f"{base_url.rstrip('/')}/tables/{table}/data?lang=no&format=json-stat2&" + "&".join(
        parts
    )


def _quote(code: str) -> str:
    return quote(code, safe="-_.")


def metadata_url(base_url: str, table: str) -> str:
    return f"{base_url.rstrip('/')}/tables/{table}/metadata?lang=no&outputFormat=json-stat2"


def plan_batches(
    base_url: str,
    table: str,
    region_dim: str,
    regions: list[str],
    fixed: dict[str, list[str]],
    limits: Henting,
) -> list[str]:
    """Split the region codes into URLs under the code, URL-length and cell limits.

    >>> urls = plan_batches("https://x/v2", "12134", "R", [f"{i:04d}" for i in range(250)],
    ...                     {"Tid": ["2024"]}, Henting())
    >>> [u.count(",") + 1 for u in urls], max(map(len, urls)) < 1500
    ([100, 100, 50], True)
    """
    per_region = math.prod(len(c) for c in fixed.values())
    if per_region > limits.maks_celler:
        raise ConfigError(
            f"Spørringen mot tabell {table} gir {per_region} celler per region, "
            f"over grensen {limits.maks_celler}."
        )

    def url(codes: list[str]) -> str:
        return data_url(base_url, table, {region_dim: codes, **fixed})

    empty = len(url([]))  # the length grows by each code and its comma: no URL built per code
    urls: list[str] = []
    batch: list[str] = []
    length = empty
    for code in regions:
        extra = len(_quote(code)) + (1 if batch else 0)
        if batch and (
            len(batch) + 1 > limits.maks_regioner_per_kall
            or length + extra > limits.maks_url_lengde
            or per_region * (len(batch) + 1) > limits.maks_celler
        ):
            urls.append(url(batch))
            batch, length, extra = [], empty, len(_quote(code))
        batch.append(code)
        length += extra
    if batch:
        urls.append(url(batch))
    too_long = [u for u in urls if len(u) > limits.maks_url_lengde]
    if too_long:
        raise ConfigError(
            f"Spørringen mot tabell {table} er lengre enn {limits.maks_url_lengde} "
            f"tegn selv med én region."
        )
    return urls
