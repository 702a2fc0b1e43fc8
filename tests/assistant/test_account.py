"""Every word accounted for (issue #12): a question is answered only when each of its words is
used by the reading or is a function word; otherwise the answer names the words it did not
understand. Follow-ups inherit the last reading only when they read as follow-ups."""

import pytest

from assistant import Assistant
from assistant.understand.account import Account
from assistant.understand.check import left_over
from assistant.understand.complete import finish, is_follow_up
from assistant.understand.read import read_question


def _ask_after(assistant: Assistant, first: str, then: str):
    history = [(first, assistant.ask(first))]
    return history[0][1], assistant.ask(then, history=history)


# --- the account itself ----------------------------------------------------------------------


def test_a_word_nobody_read_is_left_over():
    acc = Account.of("Hvor ligger Bodø i kvantefysikk?")
    acc.claim([2], "kommuner")
    assert acc.left_over({"kommuner"}, lambda t: t in {"hvor", "ligger", "i"}) == ["kvantefysikk"]


def test_a_word_read_by_a_field_the_answer_does_not_use_is_left_over():
    acc = Account.of("netto driftsresultat i Bodø")
    acc.claim([0, 1], "finansmaal")
    acc.claim([3], "kommuner")
    assert acc.left_over({"kommuner"}, lambda t: t == "i") == ["netto driftsresultat"]


def test_a_function_word_claimed_by_an_unused_field_is_still_a_function_word():
    acc = Account.of("hvilke kommuner")
    acc.claim([0], "intensjon:liste")
    assert acc.left_over(set(), lambda t: t in {"hvilke", "kommuner"}) == []


def test_the_words_of_a_match_are_claimed_by_position():
    acc = Account.of("topp 3 i grunnskole")
    assert list(acc.span_of(0, 6)) == [0, 1]


# --- questions that must not be answered with something else --------------------------------


@pytest.mark.parametrize("question, word", [
    ("Hvor ligger Bodø i kvantefysikk?", "kvantefysikk"),
    ("Hva er skattøret i Oslo?", "skattøret"),
    ("Kvar ligg Voss i gnomeforvaltning?", "gnomeforvaltning"),
])
def test_a_word_not_understood_is_named_and_nothing_is_answered(assistant, question, word):
    answer = assistant.ask(question)
    assert answer.status != "ok"
    assert f"«{word}»" in answer.text
    assert 2 <= len(answer.suggestions) <= 3
    assert answer.sql is None and answer.rows == []


def test_suggestions_after_a_word_not_understood_stay_with_the_municipality(assistant):
    answer = assistant.ask("Hvor ligger Bodø i kvantefysikk?")
    assert all("Bodø" in s for s in answer.suggestions)


def test_a_typo_of_a_known_word_is_still_answered(assistant):
    for question, indekstype in [("Hvor ligger Bodø i kvaliet?", "kvalitet"),
                                 ("hvordn ligger bodo i effektivitet", "effektivitet")]:
        answer = assistant.ask(question)
        assert answer.status == "ok", answer.text
        assert indekstype in answer.frame.indekstyper


def test_a_service_named_with_everyday_words_is_not_read_as_debt(assistant):
    answer = assistant.ask("Hvor ligger Lillehammer når det gjelder administrasjon og ledelse?")
    assert answer.status == "ok", answer.text
    assert answer.frame.tjeneste == "administrasjon" and not answer.frame.finansmaal


def test_a_count_with_a_condition_is_never_the_number_ranked(assistant):
    answer = assistant.ask("Hvor mange kommuner har negativt netto driftsresultat?")
    assert "357 av 357" not in answer.text
    if answer.status == "ok":
        _, rows = assistant.sandbox.query(
            "SELECT count(*) FROM finans WHERE netto_driftsresultat_pst < 0 "
            "AND aar = (SELECT max(aar) FROM finans)")
        assert rows[0][0] in [v for r in answer.rows for v in r]


def test_a_year_without_data_names_the_years_there_are(assistant):
    answer = assistant.ask("Hvor ligger Sør-Varanger i 1999?")
    assert answer.status != "ok"
    assert "1999" in answer.text and all(str(y) in answer.text for y in assistant.years)


@pytest.mark.parametrize("question", ["Ranger alle kommunene i Finnmark", "Sorter kommunene i Troms etter kvalitet",
                                      "List opp de fem beste i Nordland"])
def test_ranking_words_read_a_list_and_do_not_ask_to_change_data(assistant, question):
    answer = assistant.ask(question)
    assert answer.status == "ok", answer.text


def test_alle_lists_every_municipality_of_the_county(assistant):
    answer = assistant.ask("Ranger alle kommunene i Finnmark")
    _, rows = assistant.sandbox.query(
        "SELECT count(*) FROM indeks JOIN kommune USING (kommunenr) WHERE fylke = 'Finnmark' "
        "AND indekstype = 'kommuneindeks' AND tjeneste = 'alle' AND rang IS NOT NULL "
        "AND aar = (SELECT max(aar) FROM indeks)")
    assert len(answer.rows) == rows[0][0]


def test_a_range_of_places_gives_exactly_those_ranks(assistant):
    answer = assistant.ask("Hvem ligger på plass 10–20 i kvalitet?")
    assert answer.status == "ok", answer.text
    i = answer.columns.index("rang")
    assert {r[i] for r in answer.rows} <= set(range(10, 21)) and min(r[i] for r in answer.rows) == 10


# --- follow-ups -------------------------------------------------------------------------------


@pytest.mark.parametrize("then", ["hvem vinner eliteserien i år?", "hei", "Hva kan vi gjøre for å bli bedre?"])
def test_an_unanswerable_turn_in_a_conversation_is_not_the_last_answer_again(assistant, then):
    first, answer = _ask_after(assistant, "Hvor ligger Hammerfest i barnehage?", then)
    assert first.status == "ok"
    assert answer.status != "ok"
    assert answer.text != first.text and answer.rows == []


@pytest.mark.parametrize("then, field, value", [
    ("og i grunnskole?", "tjeneste", "grunnskole"),
    ("hva med Vadsø?", "kommuner", ("5607",)),
    ("i 2022?", "aar", 2022),
    ("Hvorfor?", "sporsmaal", "forklaring"),
])
def test_a_follow_up_inherits_the_rest_of_the_last_reading(assistant, then, field, value):
    first, answer = _ask_after(assistant, "Hvor ligger Hammerfest i barnehage?", then)
    assert answer.status == "ok", answer.text
    assert getattr(answer.frame, field) == value
    kept = "tjeneste" if field != "tjeneste" else "kommuner"
    assert getattr(answer.frame, kept) == getattr(first.frame, kept)


def test_a_year_before_is_counted_from_the_conversations_year(assistant):
    history = []
    for q in ("Hvor lå Bodø i kvalitet i 2023?", "og året før?"):
        history.append((q, assistant.ask(q, history=list(history))))
    assert history[-1][1].status == "ok"
    assert history[-1][1].frame.aar == 2022


def test_i_fjor_in_a_new_question_is_the_year_before_the_latest(assistant):
    answer = assistant.ask("Hvor lå Bodø i kvalitet i fjor?")
    assert answer.frame.aar == max(assistant.years) - 1


def test_follow_up_detection(assistant):
    ctx = assistant.context()
    assert is_follow_up(read_question("og i barnehage?", ctx))
    assert is_follow_up(read_question("Vadsø?", ctx))
    assert is_follow_up(read_question("topp 5", ctx))
    assert not is_follow_up(read_question("hvem vinner eliteserien i år?", ctx))
    assert not is_follow_up(read_question("hei", ctx))


# --- no answered question drops a word ----------------------------------------------------------


@pytest.mark.parametrize("question", [
    "Hvor ligger Sør-Varanger i pleie og omsorg?",
    "Jeg skal i kommunestyremøte i kveld – hvor ligger Steinkjer i kommuneindeksen nå?",
    "Kva er netto lånegjeld i prosent av brutto driftsinntekter for Voss i 2023?",
    "De tre billigste kommunene i Vestland på barnehage",
])
def test_an_answered_question_has_no_word_left_over(assistant, question):
    answer = assistant.ask(question)
    assert answer.status == "ok", answer.text
    assert left_over(answer.frame, assistant.context()) == []


def test_every_finished_frame_of_an_answer_accounts_for_its_words(assistant):
    ctx = assistant.context()
    frame = finish(read_question("Hvor ligger Bodø i kvantefysikk?", ctx), ctx)
    assert left_over(frame, ctx) == ["kvantefysikk"]


# --- the reading shown, and where the numbers come from ---------------------------------------


@pytest.mark.parametrize("question", [
    "Hvor ligger Sør-Varanger i pleie og omsorg?", "Hvilke fem kommuner er best styrt?",
    "Hva er netto lånegjeld i Bodø?", "Hvor mange kommuner har negativt netto driftsresultat?",
    "Hvorfor ligger Tromsø der den ligger i grunnskole?", "Hva betyr kvalitetsindeksen?",
    "Hvordan har Vadsø utviklet seg de siste tre årene?", "kvalitetsindeks per fylke",
])
def test_every_ok_answer_says_how_it_read_the_question(assistant, question):
    answer = assistant.ask(question)
    assert answer.status == "ok", answer.text
    assert answer.tolkning and " · " in answer.tolkning or answer.tolkning.startswith("Metode")
    assert answer.to_dict()["tolkning"] == answer.tolkning


def test_the_reading_names_the_year_as_the_text_does(assistant):
    answer = assistant.ask("Hvor lå Bodø i Kommuneindeksen 2024?")
    assert answer.frame.aar == 2023
    assert "2023 (Kommuneindeksen 2024)" in answer.tolkning
    assert "2023 (Kommuneindeksen 2024)" in answer.text and "2023 (Kommuneindeksen 2024)" in answer.chart["title"]


def test_spending_per_inhabitant_is_ssbs_figure_and_says_so(assistant):
    answer = assistant.ask("Hva brukte Sør-Varanger per innbygger på grunnskole i 2024?")
    _, rows = assistant.sandbox.query(
        "SELECT kr_per_innbygger FROM regnskap WHERE kommunenr='5605' AND aar=2024 "
        "AND maal='netto_driftsutgifter_FGK8b_grunnskole'")
    assert rows[0][0] == 21001
    assert "21 001 kr" in answer.text
    assert answer.kilde.startswith("Kilde: SSB") and "demodata" not in answer.text


def test_a_real_measures_development_gives_ssbs_figures_without_the_demo_note(assistant):
    answer = assistant.ask("Hvordan har netto driftsresultat i Sør-Varanger utviklet seg?")
    _, rows = assistant.sandbox.query(
        "SELECT netto_driftsresultat_pst FROM finans WHERE kommunenr='5605' ORDER BY aar")
    values = [v for r in answer.rows for v in r]
    assert all(any(v == pytest.approx(x) for v in values if isinstance(v, float)) for (x,) in rows)
    assert answer.kilde == "Kilde: SSB (KOSTRA)." and "demodata" not in answer.text


def test_an_answer_built_on_demo_quality_says_demodata_once(assistant):
    answer = assistant.ask("Hvor ligger Sør-Varanger i pleie og omsorg?")
    assert answer.text.count("demodata") == 1 and "Demodata" in answer.kilde


def test_a_part_of_the_reading_changes_in_place_without_retyping(assistant):
    answer = assistant.ask("Hvor ligger Sør-Varanger i pleie og omsorg?")
    other_year = assistant.reread(answer, aar=2022)
    assert other_year.status == "ok" and other_year.frame.aar == 2022 and "2022" in other_year.tolkning
    assert other_year.frame.fra_aar is None or other_year.frame.fra_aar < 2022  # moved since the year before
    other_service = assistant.reread(answer, tjeneste="barnehage")
    assert other_service.frame.tjeneste == "barnehage" and "barnehage" in other_service.tolkning
    assert set(other_service.frame.indekstyper) == {"kostnad", "kvalitet", "effektivitet"}
    only_quality = assistant.reread(answer, indekstype="kvalitet")
    assert only_quality.frame.indekstyper == ("kvalitet",)
    assert assistant.reread(answer, aar=1999).status != "ok"  # a year without data, said politely


def test_the_staff_view_may_change_year_service_and_index_of_a_rank(assistant):
    valg = assistant.tolkningsvalg(assistant.ask("Hvor ligger Sør-Varanger i pleie og omsorg?"))
    assert list(valg.aar) == list(assistant.years)
    assert "barnehage" in valg.tjeneste and "alle" in valg.tjeneste
    assert set(valg.indekstype) == {"alle", "kostnad", "kvalitet", "effektivitet"}
    whole = assistant.tolkningsvalg(assistant.ask("Hvor ligger Bodø?"))
    assert {"kommuneindeks", "finans"} <= set(whole.indekstype)


def test_a_span_a_measure_or_a_refusal_keeps_its_reading(assistant):
    span = assistant.tolkningsvalg(assistant.ask("Hvordan har Bodø utviklet seg siden 2022?"))
    assert not span.aar
    measure = assistant.tolkningsvalg(assistant.ask("Hvilke kommuner har netto lånegjeld over 100 prosent?"))
    assert measure.aar and not measure.tjeneste and not measure.indekstype
    assert not assistant.tolkningsvalg(assistant.ask("Hvor ligger Bodø i kvantefysikk?"))


def test_all_indices_again_after_one(assistant):
    one = assistant.reread(assistant.ask("Hvor ligger Sør-Varanger i pleie og omsorg?"), indekstype="kvalitet")
    again = assistant.reread(one, indekstype="alle")
    assert set(again.frame.indekstyper) == {"kostnad", "kvalitet", "effektivitet"}


# --- learnt from the blind5 set: counts, indices a service lacks, ranges, follow-ups -----------


def test_hvor_mange_of_something_not_counted_is_refused_by_name(assistant):
    answer = assistant.ask("Hvor mange barnehager er det i Lillestrøm?")
    assert answer.status != "ok" and "hvor mange barnehager" in answer.text
    _, pensioners = _ask_after(assistant, "Hvor ligger Hamar?", "Og hvor mange av dem er pensjonister?")
    assert pensioners.status != "ok" and "pensjonister" in pensioners.text


@pytest.mark.parametrize("question", [
    "Hvor mange innbyggere har Bodø?",
    "Hvor mange kommuner har negativt netto driftsresultat?",
    "Hvor mange legeårsverk per 10 000 innbyggere har Vardø?",
    "Hvor mange opplever mobbing på 10. trinn i Stavanger?",
    "Hvor mange nabokommuner har Oslo?",
])
def test_hvor_mange_of_what_the_database_counts_is_answered(assistant, question):
    assert assistant.ask(question).status == "ok"


@pytest.mark.parametrize(("question", "said"), [
    ("Hvor effektiv er samferdselen i Bodø?", "Samferdsel har ingen effektivitetsindeks"),
    ("Hva er kostnadsrangeringen til Tromsø i vann og avløp?", "Vann og avløp har ingen kostnadsindeks"),
])
def test_an_index_the_service_does_not_have_is_refused_not_swapped_for_quality(assistant, question, said):
    answer = assistant.ask(question)
    assert answer.status == "refused" and answer.text.startswith(said)


def test_the_report_named_with_a_service_is_still_the_services_ranking(assistant):
    answer = assistant.ask("I Kommuneindeksen 2024, hvor lå Harstad i grunnskole?")
    assert answer.status == "ok" and answer.frame.tjeneste == "grunnskole" and answer.frame.aar == 2023


def test_spending_on_a_service_without_cost_figures_is_refused(assistant):
    answer = assistant.ask("Hvor mye bruker Oslo på kultur per innbygger?")
    assert answer.status == "refused" and "kultur" in answer.text and "grunnskole" in answer.text


@pytest.mark.parametrize("question", ["Hvem ligger på plass 50–55 i finansindeksen?",
                                      "Hvem ligger på plass 50-55 i finansindeksen?"])
def test_a_rank_range_with_a_dash_is_those_ranks_not_a_municipality_number(assistant, question):
    answer = assistant.ask(question)  # «5055» is Heim's municipality number
    assert answer.status == "ok" and not answer.frame.kommuner and answer.frame.plasser == (50, 55)
    assert "plass 50–55" in answer.tolkning and len(answer.rows) == 6


def test_a_new_kind_of_place_in_a_follow_up_replaces_the_county(assistant):
    _, group = _ask_after(assistant, "Hvem er best i Finnmark i kommuneindeksen?", "Og i kommunegruppe 6?")
    assert group.frame.kostragruppe == 6 and group.frame.fylke is None


def test_the_rank_on_a_named_indicator_is_the_indicators_rank(assistant):
    answer = assistant.ask("Hvilken rang har Asker på grunnskolepoeng?")
    assert answer.frame.sporsmaal == "indikator" and answer.frame.indikatorer == ("grunnskolepoeng",)


def test_an_indicator_of_another_service_is_not_swapped_for_one_of_the_named(assistant):
    answer = assistant.ask("Hvor ligger Bodø på andel fagarbeidere i barnehagen?")
    assert answer.status != "ok" and "fagarbeidere" in answer.text


def test_a_share_and_a_median_as_follow_ups(assistant):
    _, share = _ask_after(assistant, "Kor mange kommunar har negativt netto driftsresultat?", "Og kor stor del er det?")
    assert share.frame.aggregat == "andel" and "% av kommunene" in share.text
    _, median = _ask_after(assistant, "Hva er gjennomsnittlig netto driftsresultat i Vestland?", "Og medianen?")
    assert median.frame.aggregat == "median" and median.frame.fylke == "Vestland"


def test_best_and_worst_at_names_services_at_both_ends(assistant):
    answer = assistant.ask("Hva er Tromsø best og dårligst på?")
    assert answer.frame.sporsmaal == "tjenester" and "best i" in answer.text and "svakest i" in answer.text


@pytest.mark.parametrize(("question", "kind"), [
    ("hvem er beste kommune i kostra gruppe 8", "liste"),
    ("Snitt netto driftsresultat for hver kostragruppe", "gruppering"),
    ("hvilket fylke hører Evenes til", "fakta"),
    ("Kva måler Kommuneindeksen?", "metode"),
])
def test_more_ways_to_say_a_group_a_county_and_the_method(assistant, question, kind):
    answer = assistant.ask(question)
    assert answer.status == "ok" and answer.frame.sporsmaal == kind


def test_hvor_mange_before_a_word_no_measure_reads_is_refused(assistant):
    answer = assistant.ask("Hvor mange barn går i kulturskolen i Bodø?")  # not kultur's rank
    assert answer.status != "ok" and "hvor mange barn" in answer.text
    assert assistant.ask("Hva er andelen barn i kulturskolen i Bodø?").frame.indikatorer == ("kulturskole_andel",)


@pytest.mark.parametrize("question", ["Hvordan har Bodø utviklet seg siden i fjor?",
                                      "Hvordan har Bodø utviklet seg siden 2023?"])
def test_a_development_since_a_year_starts_in_that_year(assistant, question):
    answer = assistant.ask(question)
    assert {r[answer.columns.index("aar")] for r in answer.rows} == {2023, 2024}
    assert "2023–2024" in answer.tolkning and "siden 2023" in answer.text
    assert "2022" not in answer.text


def test_the_national_average_named_alone_is_the_average(assistant):
    answer = assistant.ask("Hva er landssnittet for netto driftsresultat?")
    assert answer.status == "ok" and answer.frame.sporsmaal == "snitt" and "hele landet" in answer.text
    listed = assistant.ask("Hvilke kommuner i Nordland har netto lånegjeld over landssnittet?")
    assert listed.frame.vilkaar and not listed.tolkning.startswith("Snitt")


def test_a_countys_population_reads_as_its_total(assistant):
    answer = assistant.ask("Hvor mange innbyggere har Nordland?")
    assert answer.tolkning.startswith("Sum · innbyggere · Nordland") and "beste" not in answer.tolkning


# --- learnt from the blind6 set's wrong answers ------------------------------------------------


@pytest.mark.parametrize(("first", "then", "indekstype", "n"), [
    ("topp 10 kommuner på kvalitet", "bare i Innlandet", "kvalitet", 10),
    ("topp 5 i finans", "bare kostragruppe 9 da", "finans", 5),
])
def test_bare_narrows_the_last_list(assistant, first, then, indekstype, n):
    _, narrowed = _ask_after(assistant, first, then)
    assert narrowed.frame.indekstyper == (indekstype,) and narrowed.frame.n == n


@pytest.mark.parametrize(("question", "lowest"), [
    ("Hvilke kommuner har dårligst netto driftsresultat?", True),
    ("Hvilke kommuner har best netto driftsresultat?", False),
    ("Hvilke kommuner har dårligst netto lånegjeld?", False),
    ("Hvilke kommuner har best netto lånegjeld?", True),
])
def test_worst_and_best_of_a_key_figure_follow_its_direction(assistant, question, lowest):
    answer = assistant.ask(question)
    values = [r[answer.columns.index(answer.frame.finansmaal[0])] for r in answer.rows]
    assert values == sorted(values, reverse=not lowest)


def test_the_neighbours_asked_for_are_all_of_them_and_dem_means_them(assistant):
    answer = assistant.ask("Hvem er nabokommunene til Bodø?")
    assert len(answer.rows) >= 5
    _, best = _ask_after(assistant, "Hvem er nabokommunene til Hamar?", "hvem av dem har best økonomi?")
    assert best.frame.sporsmaal == "naboer" and len(best.rows) == 1 and best.rows[0][best.columns.index("kommunenr")] != "3403"


def test_a_rank_among_the_municipalities_of_a_county_is_not_the_national_rank(assistant):
    answer = assistant.ask("Hvilken plass har Bergen blant kommunene i Vestland?")
    assert answer.status != "ok" and "Vestland" in answer.text
    assert assistant.ask("Hvor ligger Herøy i Nordland?").status == "ok"  # the county says which Herøy


def test_a_condition_in_both_of_two_years_is_refused_not_counted_for_one(assistant):
    answer = assistant.ask("Hvor mange kommuner har kommuneindeks over 1 i både 2023 og 2024?")
    assert answer.status == "refused" and "flere år samtidig" in answer.text


def test_behovskorrigert_after_per_innbygger_is_the_need_adjusted_amount(assistant):
    answer = assistant.ask("Hvilke kommuner i Vestland bruker mest per innbygger totalt, behovskorrigert?")
    assert answer.frame.kostnadsmaal == "behovskorrigert_kr_per_innbygger"


def test_the_largest_municipality_is_by_population(assistant):
    answer = assistant.ask("Hvilken kommune er størst i Nordland?")
    assert answer.text.startswith("Den største kommunen i Nordland etter folketall") and "Bodø" in answer.text


def test_which_of_two_has_the_lowest_key_figure_is_named_and_its_row_kept(assistant):
    answer = assistant.ask("har askoy eller oygarden lavest netto lanegjeld")
    assert answer.text.endswith("Lavest netto lånegjeld av dem har Øygarden.")
    assert {r[answer.columns.index("kommunenr")] for r in answer.rows} == {"4626"}
    both = assistant.ask("Hva er netto lånegjeld i Askøy og Øygarden?")  # no direction: both, no verdict
    assert "av dem har" not in both.text and len({r[both.columns.index("kommunenr")] for r in both.rows}) == 2
