"""The answer text: the report's voice, Norwegian numbers, the year, the group, demo data."""




def test_a_service_rank_reads_like_the_report(assistant):
    ans = assistant.ask("Hvor ligger Sør-Varanger i pleie og omsorg?")
    rows = {r[ans.columns.index("indekstype")]: r[ans.columns.index("rang")] for r in ans.rows}
    antall = {r[ans.columns.index("indekstype")]: r[ans.columns.index("antall")] for r in ans.rows}
    assert f"Norges {rows['effektivitet']}. mest effektive av {antall['effektivitet']}" in ans.text
    assert f"plass {rows['kostnad']} på kostnad og {rows['kvalitet']} på kvalitet" in ans.text
    assert "kommunegruppe 8" in ans.text and "2024" in ans.text and "demodata" in ans.text


def test_money_is_in_norwegian_format(assistant):
    ans = assistant.ask("Hva er innsparingspotensialet for Sør-Varanger?")
    kr = next(r[ans.columns.index("innsparingspotensial_kr")] for r in ans.rows
              if r[ans.columns.index("tjeneste")] == "alle")
    mill = f"{abs(kr) / 1e6:.1f}".replace(".", ",")
    assert f"{mill} mill. kr" in ans.text


def test_a_list_names_its_municipalities_in_rank_order(assistant):
    ans = assistant.ask("Topp 3 i finansindeksen")
    names = [r[ans.columns.index("kommune")] for r in ans.rows]
    positions = [ans.text.index(n) for n in names]
    assert positions == sorted(positions) and len(names) == 3


def test_an_explanation_names_indicators_up_and_down(assistant):
    ans = assistant.ask("Hvorfor ligger Sør-Varanger der den ligger?")
    assert "Trekker opp:" in ans.text and "Trekker ned:" in ans.text and "landet" in ans.text


def test_a_number_of_municipalities_is_singular_when_one(assistant):
    ans = assistant.ask("Hva er snittet i KOSTRA-gruppe 13 for behovskorrigerte utgifter til grunnskole per innbygger?")
    assert "(1 kommune," in ans.text
