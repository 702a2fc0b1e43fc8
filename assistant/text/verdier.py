"""How the values of result rows are written in answers: a measure's value in its unit and
decimals, its rank, a list of items, a change and whether it is for the better, and the rows in
the order the spec names them. Shared by the answer texts per form."""

from assistant.katalog import Maal
from assistant.query.spec import QuerySpec, resolve
from assistant.text.formatting import kroner, liste, tall, tall_med_enhet
from assistant.text.tolkning import aar_tekst, smaa, tjeneste_navn, ubestemt, vilkaar_setning
from assistant.understand.context import Context

MAX_ITEMS = 10  # a list in the text names at most this many; the table has the rest


def maal_of(row: dict, ctx: Context) -> Maal | None:
    """The catalogue measure of a row (None for the municipalities themselves)."""
    return ctx.katalog.maal.get(row.get("maal") or "")


def verdi_tekst(value, m: Maal | None) -> str:
    """A row's value in its measure's unit and decimals (as it is, for no measure)."""
    return tall_med_enhet(value, m.enhet, m.desimaler) if m else str(value)


def rang_tekst(row: dict) -> str:
    """ "nr. 12 av 357", or "" where the measure has no rank.

    >>> rang_tekst({"rang": 12, "antall": 357}), rang_tekst({"rang": None})
    ('nr. 12 av 357', '')
    """
    if row.get("rang") is None:
        return ""
    return f"nr. {row['rang']} av {row['antall']}" if row.get("antall") else f"nr. {row['rang']}"


def med_rang(row: dict, m: Maal | None) -> str:
    """ "143,2 % (nr. 348 av 357)"."""
    rang = rang_tekst(row)
    return verdi_tekst(row["verdi"], m) + (f" ({rang})" if rang else "")


def aar_fra(spec: QuerySpec, ctx: Context, prefix: str = " i ") -> str:
    """ " i 2024 (Kommuneindeksen 2025)", " fra 2022 til 2024", or "" for register facts."""
    text = aar_tekst(spec, ctx)
    return f"{prefix}{text}" if text and not text.startswith("fra") else (f" {text}" if text else "")


def opplisting(items: list[str]) -> str:
    """At most `MAX_ITEMS` items, then how many more the table holds.

    >>> opplisting(["a", "b"]), opplisting([str(i) for i in range(12)])[-27:]
    ('a og b', '8, 9 og 2 til (se tabellen)')
    """
    if len(items) <= MAX_ITEMS:
        return liste(items)
    return ", ".join(items[:MAX_ITEMS]) + f" og {len(items) - MAX_ITEMS} til (se tabellen)"


def vilkaar_setninger(spec: QuerySpec, ctx: Context) -> str:
    """ "har netto lånegjeld over 100 % og er blant de 50 beste på Kommuneindeksen"."""
    return liste([vilkaar_setning(v, ctx) for v in spec.vilkaar])


def maal_ord(m: Maal, tjeneste: str | None, ctx: Context) -> str:
    """The measure after an adjective: "kvalitetsindeks i pleie og omsorg", "netto lånegjeld"."""
    base = ubestemt(m) if m.gruppe == "indeks" else smaa(m.navn)
    where = tjeneste_navn(tjeneste, ctx) if m.har_tjeneste else ""
    return f"{base} i {where}" if where else base


def item(r: dict, m: Maal | None, ranked: bool) -> str:
    """ "Lillestrøm (nr. 33 av 357, 1,13)" or "Bodø (80,2 %)"."""
    rang = rang_tekst(r) if ranked else ""
    return f"{r['kommune']} ({rang + ', ' if rang else ''}{verdi_tekst(r['verdi'], m)})"


def stor(text: str) -> str:
    """The first letter in upper case.

    >>> stor("antall kommuner")
    'Antall kommuner'
    """
    return text[:1].upper() + text[1:]


def differanse(diff: float, m: Maal) -> str:
    """A change in the measure's unit: percentages change in percentage points.

    >>> from assistant.katalog import load_katalog
    >>> k = load_katalog()
    >>> differanse(-2.14, k.finn("netto_lanegjeld_pst")), differanse(3.4e6, k.finn("innsparingspotensial_kr"))
    ('2,1 prosentpoeng', '3,4 mill. kr')
    """
    if m.enhet == "prosent":
        return f"{tall(abs(diff), m.desimaler)} prosentpoeng"
    if m.enhet == "kr":
        return kroner(abs(diff))
    return tall_med_enhet(abs(diff), m.enhet, m.desimaler)


def dom(diff: float, m: Maal) -> str:
    """Whether a change is for the better, in the measure's direction.

    >>> from assistant.katalog import load_katalog
    >>> k = load_katalog()
    >>> dom(5.0, k.finn("netto_lanegjeld_pst")), dom(5.0, k.finn("kvalitetsindeks")), dom(5.0, k.finn("innbyggere"))
    ('; dårligere', '; bedre', '')
    """
    if m.retning == "noytral" or not diff:
        return ""
    return "; bedre" if (diff > 0) == (m.retning == "hoy") else "; dårligere"


def in_spec_order(spec: QuerySpec, recs: list[dict], ctx: Context) -> list[dict]:
    """Rows in the order the spec names its municipalities and measures, then by year."""
    kommuner = {nr: i for i, nr in enumerate(spec.utvalg.kommuner)}
    maal: dict[tuple, int] = {}
    for i, ref in enumerate(spec.maal):
        m, tjeneste = resolve(ref, ctx.katalog)
        maal.setdefault((m.key, tjeneste), i)

    def key(r: dict) -> tuple:
        m = maal_of(r, ctx)
        own = (r["maal"], r["tjeneste"] if m and m.har_tjeneste else None)
        return kommuner.get(r["kommunenr"], len(kommuner)), maal.get(own, len(maal)), r.get("aar") or 0

    return sorted(recs, key=key)


def nabokommuner(n: int) -> str:
    """ "1 nabokommune", "5 nabokommuner"."""
    return "1 nabokommune" if n == 1 else f"{n} nabokommuner"


