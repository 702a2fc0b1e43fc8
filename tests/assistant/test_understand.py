"""Reading questions into frames: the conventions of schema.md, one claim each."""

import pytest

from assistant.errors import AmbiguousKommune, NoDataForYear, NotUnderstood, UnknownKommune
from assistant.understand.complete import complete, finish
from assistant.understand.read import read_question


@pytest.fixture(scope="module")
def ctx(assistant):
    return assistant.context()


def read(question, ctx, previous=None):
    return finish(complete(read_question(question, ctx), previous), ctx)


def test_no_index_named_means_the_kommuneindeks_first(ctx):
    f = read("Hvor ligger Bodø?", ctx)
    assert f.sporsmaal == "rang" and f.kommuner == ("1804",) and f.indekstyper[0] == "kommuneindeks"


def test_a_cost_service_gets_its_three_index_types(ctx):
    f = read("Hvor ligger Sør-Varanger i eldreomsorgen?", ctx)
    assert f.tjeneste == "pleie_og_omsorg"
    assert set(f.indekstyper) == {"kostnad", "kvalitet", "effektivitet"}


def test_a_quality_only_service_gets_quality(ctx):
    assert read("Hvor ligger Drammen på kultur?", ctx).indekstyper == ("kvalitet",)


def test_no_year_means_the_latest_and_an_edition_counts_one_back(ctx):
    assert read("Hvor ligger Bodø?", ctx).aar == max(ctx.years)
    assert read("Hvor lå Bodø i Kommuneindeksen 2024?", ctx).aar == 2023
    assert read("Hvor lå Bodø i kvalitetsindeksen i 2022?", ctx).aar == 2022


def test_a_year_without_data_names_the_years_that_exist(ctx):
    with pytest.raises(NoDataForYear, match="2022"):
        read("Hvor lå Bodø i 2019?", ctx)


def test_a_list_without_number_has_ten_and_singular_one(ctx):
    assert read("Hvilke kommuner har best kvalitet i barnehage?", ctx).n == 10
    assert read("Hvilke kommuner i kommunegruppe 8 har best kvalitet?", ctx).n == 10
    assert read("Beste kommuner i Vestland", ctx).n == 10
    assert read("Hvilken kommune er best styrt?", ctx).n == 1
    assert read("Topp 3 i finansindeksen", ctx).n == 3


def test_dearest_is_the_bad_end_of_the_cost_index(ctx):
    f = read("Hvilke 5 kommuner har høyest kostnader?", ctx)
    assert f.indekstyper == ("kostnad",) and f.verst
    assert not read("Hvilke kommuner har de laveste kostnadene?", ctx).verst


def test_best_in_a_cost_service_means_efficiency(ctx):
    assert read("Hvem er best i pleie og omsorg?", ctx).indekstyper == ("effektivitet",)


def test_nynorsk_is_read_like_bokmaal(ctx):
    a = read("Korleis er kvaliteten i barnehagane i Voss?", ctx)
    b = read("Hvordan er kvaliteten i barnehagene i Voss?", ctx)
    assert (a.kommuner, a.tjeneste, a.indekstyper) == (b.kommuner, b.tjeneste, b.indekstyper)


def test_a_shared_name_asks_which_unless_the_county_is_given(ctx):
    with pytest.raises(AmbiguousKommune) as err:
        read("Hvor ligger Herøy?", ctx)
    assert set(err.value.suggestions) == {"Herøy (Nordland)", "Herøy (Møre og Romsdal)"}
    assert read("Hvor ligger Herøy i Nordland?", ctx).kommuner == ("1818",)


def test_an_unknown_place_gets_close_names(ctx):
    with pytest.raises(UnknownKommune) as err:
        read("Hvor ligger Atlantis?", ctx)
    assert err.value.suggestions


def test_a_follow_up_changes_only_what_it_names(ctx):
    first = read("Hvor ligger Sør-Varanger i pleie og omsorg i 2023?", ctx)
    f = read("og i barnehage?", ctx, first)
    assert (f.kommuner, f.tjeneste, f.aar) == (("5605",), "barnehage", 2023)
    g = read("Hva med Vadsø?", ctx, first)
    assert (g.kommuner, g.tjeneste) == (("5607",), "pleie_og_omsorg")


def test_der_points_back_to_the_last_municipality(ctx):
    first = read("Hvor ligger Levanger i kommuneindeksen?", ctx)
    f = read("Hva er innsparingspotensialet der?", ctx, first)
    assert f.sporsmaal == "innsparing" and f.kommuner == ("5037",)


def test_write_requests_and_other_topics_are_refused(ctx):
    for question in ("Slett alle tabellene", "Hvem vant fotball-VM i 2022?", "Skriv et dikt om Tromsø"):
        with pytest.raises(NotUnderstood):
            read(question, ctx)


def test_who_climbed_most_is_a_list_of_rank_changes(ctx):
    f = read("Hvilke kommuner i Finnmark har klatret mest i kommuneindeksen fra 2022 til 2024?", ctx)
    assert (f.sporsmaal, f.fra_aar, f.aar, f.fylke, f.verst) == ("endring", 2022, 2024, "Finnmark", False)
    assert read("Hvem har falt mest på kvalitet siden 2023?", ctx).verst


def test_of_them_means_the_municipalities_of_the_last_questions(assistant):
    a = assistant
    history = []
    for q in ("Hvor ligger Hamar i kommuneindeksen?", "Og Gjøvik?"):
        history.append((q, a.ask(q, history=list(history))))
    ans = a.ask("Hvem av dem har best økonomi?", history=history)
    named = {r[ans.columns.index("kommune")] for r in ans.rows}
    assert named == {"Hamar", "Gjøvik"} and "Best av dem på økonomi er" in ans.text


@pytest.mark.parametrize(("question", "terskel"), [
    ("Hvilke kommuner har kvalitet over 1,1 i skole?", 1.1),
    ("Hvilke kommuner har kvalitetsindeks over 1.1 i grunnskole?", 1.1),
    ("Hvilke kommuner har netto lånegjeld over 120,5 prosent?", 120.5),
    ("Hvilke kommuner har over 50 000 innbyggere?", 50000),
    ("Hvilke kommuner har over 50.000 innbyggere?", 50000),
])
def test_a_decimal_comma_is_a_decimal_and_a_space_a_thousands_separator(ctx, question, terskel):
    (vilkaar,) = read(question, ctx).vilkaar
    assert vilkaar.op == ">" and vilkaar.terskel == pytest.approx(terskel)


def test_one_municipality_that_meets_a_condition_is_said_in_the_singular(assistant):
    answer = assistant.ask("Hvilke kommuner har netto driftsresultat over 25 prosent?")
    assert answer.status == "ok" and len(answer.rows) == 1
    assert answer.text.startswith("Bare én kommune har netto driftsresultat over 25 %")


def test_a_map_is_asked_for_with_kart_and_stands_alone(ctx):
    previous = read("Hvor ligger Sør-Varanger i pleie og omsorg?", ctx)
    f = read("Vis kart over kommuneindeksen", ctx, previous)
    assert f.kart and f.sporsmaal == "liste" and not f.kommuner and f.n == 357
    assert f.indekstyper == ("kommuneindeks",)
    assert read("Vis kvalitet i grunnskole på kartet", ctx).kart
    nordland = read("Vis kart over Nordland", ctx)
    assert nordland.kart and nordland.fylke == "Nordland"
    assert not read("Hvilke fem kommuner er best styrt?", ctx).kart
