"""The `Context` a question is read and answered in: what the steps need to know about the
database, read once when the assistant opens it. Frozen and shared by every user; a question
adds only its home municipality. Steps take the context, never the whole `Assistant`."""

from dataclasses import dataclass, replace
from functools import cached_property
from typing import NamedTuple

from assistant.katalog import Katalog
from assistant.understand.names import KommuneRegister
from assistant.understand.vocabulary import Vocabulary

KILDE_SSB = "Kilde: SSB (KOSTRA), beregnet etter metoden i docs/metode.md."
KILDE_DEMO = "Demodata: syntetiske tall for de 357 kommunene (ikke ekte KOSTRA-tall). Befolkning: SSB."


class Indikator(NamedTuple):
    """One quality indicator of the catalogue (the `indikator` table)."""

    tjeneste: str
    navn: str
    enhet: str


@dataclass(frozen=True, eq=False)
class Context:
    """The register, the question words, the years, the display names and the catalogue of
    measures of the database.

    `er_demodata` says whether any number is synthetic; `kilde` is the source line shown under
    the numbers. `hjemkommune` is the user's own municipality ("vi", "oss"), if chosen.
    """

    register: KommuneRegister
    vocabulary: Vocabulary
    years: tuple[int, ...]
    tjenestenavn: dict[str, str]  # service key → display name ("Pleie og omsorg")
    indikatorer: dict[str, Indikator]  # in the catalogue's order (service, key)
    katalog: Katalog  # measures and dimensions, completed from the database (assistant/katalog/)
    er_demodata: bool
    hjemkommune: str | None = None
    kart: dict | None = None  # the map's outlines (TopoJSON) the build wrote, if any

    @cached_property
    def names(self) -> dict[str, str]:
        """kommunenr → the municipality's short name."""
        return {nr: k.kommune for nr, k in self.register.kommuner.items()}

    @property
    def kilde(self) -> str:
        return KILDE_DEMO if self.er_demodata else KILDE_SSB

    def indikator_tjeneste(self, indikator: str, default: str | None = None) -> str | None:
        """The service an indicator belongs to."""
        found = self.indikatorer.get(indikator)
        return found.tjeneste if found else default

    def for_user(self, hjemkommune: str | None) -> "Context":
        """The same context with the user's home municipality."""
        return replace(self, hjemkommune=hjemkommune)
