"""Norwegian text of what-if answers: what was changed, what it saves, and how the ranks move."""

from assistant.text.formatting import kroner, liste, tall
from assistant.text.phrases import INDEKSNAVN
from scoring.contract import ALLE, KOSTNADSTJENESTER


def plass(rang: int | None) -> str:
    """ "plass 12", or "ikke rangert".

    >>> plass(12), plass(None)
    ('plass 12', 'ikke rangert')
    """
    return "ikke rangert" if rang is None else f"plass {rang}"


def _where(rec: dict) -> str:
    where = "i" if rec["indekstype"] == "kommuneindeks" else "på"
    return f"{where} {INDEKSNAVN[rec['indekstype']]}"


def move(rec: dict, short: bool = False) -> tuple[str, str]:
    """How one rank moves, as (verb, the rest): ("gått", "fra plass 185 til 120 på kostnad")
    or ("blitt", "på plass 40 i Kommuneindeksen"); `short` leaves out "plass" after "fra".

    >>> move({"indekstype": "kostnad", "rang_for": 185, "rang_etter": 120})
    ('gått', 'fra plass 185 til 120 på kostnad')
    >>> move({"indekstype": "kommuneindeks", "rang_for": 40, "rang_etter": 40})
    ('blitt', 'på plass 40 i Kommuneindeksen')
    """
    if rec["rang_for"] == rec["rang_etter"]:
        return "blitt", f"på {plass(rec['rang_for'])} {_where(rec)}"
    before = plass(rec["rang_for"])
    if short and rec["rang_for"] is not None:
        before = str(rec["rang_for"])
    after = str(rec["rang_etter"]) if rec["rang_etter"] is not None else "ikke rangert"
    return "gått", f"fra {before} til {after} {_where(rec)}"


def moves(records: list[dict]) -> tuple[str, str]:
    """Several moves in one phrase, the verb said once per run; returns (phrase, last verb).

    >>> recs = [{"indekstype": "kostnad", "rang_for": 185, "rang_etter": 133},
    ...         {"indekstype": "effektivitet", "rang_for": 156, "rang_etter": 117}]
    >>> moves(recs)
    ('gått fra plass 185 til 133 på kostnad og fra 156 til 117 på effektivitet', 'gått')
    """
    parts, last = [], ""
    for rec in records:
        verb, rest = move(rec, short=bool(parts))
        parts.append(rest if verb == last else f"{verb} {rest}")
        last = verb
    return liste(parts), last


def subject(tjeneste: str, tjenestenavn: dict[str, str], kommune: str) -> str:
    """What a service-level rank is about: "Pleie og omsorg", or the municipality for 'alle'."""
    return kommune if tjeneste == ALLE else tjenestenavn[tjeneste]


def ranks_text(
    records: list[dict], scope: str, kommune: str, tjenestenavn: dict[str, str], lead: str = ""
) -> str:
    """The rank sentence: the scope's own indices, then the Kommuneindeks. With a `lead`
    ("Hvis …") the sentence continues it: "Hvis …, ville helse gått …".

    >>> recs = [{"tjeneste": "helse", "indekstype": "kostnad", "rang_for": 9, "rang_etter": 4, "antall": 357},
    ...         {"tjeneste": "alle", "indekstype": "kommuneindeks", "rang_for": 50, "rang_etter": 48, "antall": 357}]
    >>> ranks_text(recs, "helse", "Bodø", {"helse": "Helse"})
    'Helse ville gått fra plass 9 til 4 på kostnad, og Bodø fra 50 til 48 i Kommuneindeksen (av 357).'
    >>> ranks_text(recs, "alle", "Bodø", {}, lead="Hvis alt kostet mindre")
    'Hvis alt kostet mindre, ville Bodø gått fra plass 50 til 48 i Kommuneindeksen (av 357).'
    """
    own = [r for r in records if r["tjeneste"] == scope and r["indekstype"] != "kommuneindeks"]
    total = next((r for r in records if r["indekstype"] == "kommuneindeks"), None)
    name = subject(scope, tjenestenavn, kommune)
    if total is not None and (scope == ALLE or not own):
        own, total, name = own + [total], None, kommune
    if not own:
        return ""
    if lead and name != kommune:
        name = name.lower()
    phrase, last = moves(own)
    comma = "," if lead.startswith(("Hvis", "Dersom", "Om")) else ""
    text = f"{lead}{comma} ville {name} {phrase}" if lead else f"{name} ville {phrase}"
    if total is not None:
        verb, rest = move(total, short=True)
        text += f", og {kommune} " + (rest if verb == last == "gått" else f"ville {verb} {move(total)[1]}")
    return f"{text} (av {(total or own[-1])['antall']})."


def scope_name(tjeneste: str, tjenestenavn: dict[str, str], capital: bool = False) -> str:
    """ "pleie og omsorg", or "alle de sju tjenestene" for 'alle'.

    >>> scope_name("pleie_og_omsorg", {"pleie_og_omsorg": "Pleie og omsorg"})
    'pleie og omsorg'
    """
    name = "alle de sju tjenestene" if tjeneste == ALLE else tjenestenavn[tjeneste].lower()
    return name[:1].upper() + name[1:] if capital else name


def money_text(saved: float, aar: int) -> str:
    """ "ville kommunen spart 16,3 mill. kr i 2024", or "brukt … mer".

    >>> money_text(16_279_924.2, 2024), money_text(-2e6, 2024)
    ('ville kommunen spart 16,3 mill. kr i 2024', 'ville kommunen brukt 2,0 mill. kr mer i 2024')
    """
    if saved >= 0:
        return f"ville kommunen spart {kroner(saved)} i {aar}"
    return f"ville kommunen brukt {kroner(-saved)} mer i {aar}"


def savings_line(saved: float, aar: int) -> str:
    """One line for the savings of a what-if, as the app shows it under the text.

    >>> savings_line(31_251_000.0, 2024)
    'Innsparing i 2024: 31,3 mill. kr'
    >>> savings_line(-2e6, 2024), savings_line(0.0, 2024)
    ('Merkostnad i 2024: 2,0 mill. kr', 'Ingen endring i kostnadene i 2024')
    """
    if saved > 0:
        return f"Innsparing i {aar}: {kroner(saved)}"
    if saved < 0:
        return f"Merkostnad i {aar}: {kroner(-saved)}"
    return f"Ingen endring i kostnadene i {aar}"


def per_innbygger(before: float, after: float) -> str:
    """ "29 775 kr per innbygger i stedet for 31 411 kr, behovskorrigert".

    >>> per_innbygger(31411.03, 29774.70)
    '29 775 kr per innbygger i stedet for 31 411 kr, behovskorrigert'
    """
    return f"{tall(after, 0)} kr per innbygger i stedet for {tall(before, 0)} kr, behovskorrigert"


def signed_percent(p: float) -> str:
    """ "10 % mindre" or "5 % mer".

    >>> signed_percent(-10.0), signed_percent(2.5)
    ('10 % mindre', '2,5 % mer')
    """
    word = "mindre" if p < 0 else "mer"
    return f"{tall(abs(p), 0 if abs(p) == int(abs(p)) else 1)} % {word}"


def arsverk_count(n: float) -> str:
    """An årsverk count in words of the right precision.

    >>> arsverk_count(21.7), arsverk_count(1.04), arsverk_count(0.4)
    ('om lag 22 årsverk', 'om lag 1 årsverk', 'under ett årsverk')
    """
    if abs(n) < 0.5:
        return "under ett årsverk"
    return f"om lag {tall(round(abs(n)), 0)} årsverk"


def suggestions(kommune: str, tjeneste: str, tjenestenavn: dict[str, str]) -> tuple[str, ...]:
    """Follow-up questions after a what-if: another change, a target rank, where it stands.

    >>> suggestions("Alta", "kultur", {"pleie_og_omsorg": "Pleie og omsorg"})[2]
    'Hvor ligger Alta i pleie og omsorg?'
    """
    t = tjeneste if tjeneste in KOSTNADSTJENESTER else "pleie_og_omsorg"
    name = tjenestenavn[t].lower()
    return (
        f"Hva om {name} i {kommune} kostet 10 % mindre?",
        f"Hvor mye må {name} i {kommune} koste for å komme på topp 100?",
        f"Hvor ligger {kommune} i {name}?",
    )
