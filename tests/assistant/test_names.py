"""Finding municipalities in a question, however they are written."""

import pytest


@pytest.fixture(scope="module")
def register(assistant):
    return assistant.context().register


@pytest.mark.parametrize(
    ("text", "kommunenr"),
    [
        ("Hvor ligger Sør-Varanger?", "5605"),
        ("hvor ligger sor-varanger", "5605"),
        ("Hvor ligger Kirkenes?", "5605"),
        ("Hvor ligger Baerum?", "3201"),
        ("Hvor ligger Aalesund?", "1508"),
        ("Hvor ligger Guovdageaidnu?", "5612"),
        ("Hvor ligger 4601?", "4601"),
        ("Hvor ligger Bodø kommune?", "1804"),
        ("Hvordan er Bodøs økonomi?", "1804"),
        ("Hvor ligger Trondhjem?", "5001"),
        ("Kristiansnad sin rangering", "4204"),
        ("Hvor ligger Time kommune?", "1121"),
    ],
)
def test_a_name_is_found_however_written(register, text, kommunenr):
    found = register.search(text)
    assert [m.kandidater for m in found.matches] == [(kommunenr,)]


def test_ordinary_words_are_names_only_when_capitalised(register):
    assert register.search("Hva er legetimer per time i Sola?").matches[0].kandidater == ("1124",)
    assert not register.search("hvor mange legetimer per time").matches


def test_a_shared_name_gives_both_candidates(register):
    assert register.search("Hvor ligger Våler?").matches[0].kandidater == ("3114", "3419")


def test_a_county_is_not_a_misspelt_name(register):
    found = register.search("Hvilke kommuner i Møre og Romsdal er best?")
    assert not found.matches and not found.unknown and found.fylker == ["Møre og Romsdal"]


def test_a_first_letter_typo_is_not_taken_for_another_name(register):
    found = register.search("Hvor ligger Øvre Smørbukk?")
    assert not any(m.kandidater == ("3431",) for m in found.matches)  # not Dovre


def test_suggestions_are_real_names(register):
    names = {register.name(nr) for nr in register.kommuner}
    suggestions = register.suggestions("Trondhjm")
    assert "Trondheim" in suggestions and set(suggestions) <= names
