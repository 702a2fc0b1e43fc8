"""Method questions («Hva betyr kvalitetsindeksen?»): the short texts of data/metode.toml, with
a pointer to the section of docs/metode.md. Answered without numbers from the database."""

from assistant.katalog import Katalog, KatalogError

__all__ = ["method_text"]


def method_text(key: str, katalog: Katalog) -> str:
    """The method text `key`, and where to read more.

    >>> from assistant.katalog import load_katalog
    >>> text = method_text("indeksverdi", load_katalog())
    >>> text.startswith("Alle indeksene er laget slik at 1,00 er landsgjennomsnittet"), text.endswith("«5. Skala».")
    (True, True)
    """
    try:
        metode = katalog.metoder[key]
    except KeyError:
        raise KatalogError(f"Ingen metodetekst «{key}».") from None
    tekst = " ".join(metode.tekst.split())
    return f"{tekst} Mer om metoden i docs/metode.md, avsnittet «{metode.avsnitt}»."
