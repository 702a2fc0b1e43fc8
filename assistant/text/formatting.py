"""Numbers in Norwegian format: 1,38; 64 872 kr; 40,1 mill. kr; 339. plass; 2,5 %."""

from babel.numbers import format_decimal

LOCALE = "nb_NO"


def tall(x: float, desimaler: int = 2) -> str:
    """A number with decimal comma and space as thousands separator.

    >>> tall(1.3812)
    '1,38'
    >>> tall(64872.4, 0)
    '64 872'
    """
    pattern = "#,##0" + ("." + "0" * desimaler if desimaler > 0 else "")
    return format_decimal(x, format=pattern, locale=LOCALE).replace("\xa0", " ").replace("\u202f", " ")


def kroner(x: float) -> str:
    """Kroner, with mill./mrd. for large amounts.

    >>> kroner(40_123_456), kroner(-2_500_000_000), kroner(64872)
    ('40,1 mill. kr', '-2,5 mrd. kr', '64 872 kr')
    """
    if abs(x) >= 1e9:
        return f"{tall(x / 1e9, 1)} mrd. kr"
    if abs(x) >= 1e6:
        return f"{tall(x / 1e6, 1)} mill. kr"
    return f"{tall(x, 0)} kr"


def prosent(x: float, desimaler: int = 1) -> str:
    """A percentage.

    >>> prosent(2.5)
    '2,5 %'
    """
    return f"{tall(x, desimaler)} %"


def verdi_med_enhet(x: float, enhet: str) -> str:
    """An indicator value in its unit, with sensible decimals.

    >>> verdi_med_enhet(41.63, "poeng"), verdi_med_enhet(7.26, "prosent")
    ('41,6 poeng', '7,3 %')
    """
    desimaler = 2 if abs(x) < 10 and enhet not in ("prosent",) else 1
    if enhet == "prosent":
        return prosent(x)
    if enhet == "kr":
        return kroner(x)
    return f"{tall(x, desimaler)} {enhet}"


def antall_kommuner(n: int) -> str:
    """ "1 kommune", "13 kommuner".

    >>> antall_kommuner(1), antall_kommuner(13)
    ('1 kommune', '13 kommuner')
    """
    return f"{n} kommune" if n == 1 else f"{n} kommuner"


def rader(n: int) -> str:
    """ "1 rad", "3 rader".

    >>> rader(1), rader(3)
    ('1 rad', '3 rader')
    """
    return f"{n} rad" if n == 1 else f"{n} rader"


def stor_forbokstav(text: str) -> str:
    """The text with a capital first letter, the rest as it is.

    >>> stor_forbokstav("økonomi"), stor_forbokstav("Kommuneindeksen")
    ('Økonomi', 'Kommuneindeksen')
    """
    return text[:1].upper() + text[1:]


def liste(items: list[str]) -> str:
    """ "a", "a og b", "a, b og c".

    >>> liste(["a", "b", "c"])
    'a, b og c'
    """
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


def tall_med_enhet(x: float | int | str | None, enhet: str, desimaler: int = 2) -> str:
    """A measure's value in its unit, with the catalogue's number of decimals.

    >>> tall_med_enhet(1.0372, "indeks"), tall_med_enhet(143.21, "prosent", 1)
    ('1,04', '143,2 %')
    >>> tall_med_enhet(40_123_456, "kr", 0), tall_med_enhet(14235.3, "kr_per_innbygger", 0)
    ('40,1 mill. kr', '14 235 kr per innbygger')
    >>> tall_med_enhet(79421, "innbyggere", 0), tall_med_enhet(41.63, "poeng", 1), tall_med_enhet(8, "tekst")
    ('79 421 innbyggere', '41,6 poeng', '8')
    """
    if x is None:
        return "mangler"
    if enhet == "tekst" or isinstance(x, str):
        return str(x)
    if enhet == "indeks":
        return tall(x, desimaler)
    if enhet == "prosent":
        return prosent(x, desimaler)
    if enhet == "kr":
        return kroner(x)
    if enhet == "kr_per_innbygger":
        return f"{tall(x, desimaler)} kr per innbygger"
    return f"{tall(x, desimaler)} {enhet}".rstrip()
