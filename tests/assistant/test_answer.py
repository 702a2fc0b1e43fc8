"""The answer text: the report's voice, Norwegian numbers, the year, the group, demo data."""

import re


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


def test_why_is_a_short_list_without_brackets_in_brackets(assistant):
    ans = assistant.ask("Hvorfor ligger Bodø der den ligger?")
    lines = ans.text.split("\n")
    assert "Trekker opp:" in lines and "Trekker ned:" in lines
    items = [line for line in lines if line.startswith("• ")]
    assert 2 <= len(items) <= 6
    for line in lines:
        depth = 0
        for char in line:
            depth += {"(": 1, ")": -1}.get(char, 0)
            assert depth <= 1, line
    assert lines[-1] == "Merk: tallene er demodata, ikke ekte KOSTRA-tall."


def test_the_table_on_screen_is_norwegian_and_rounded(assistant):
    ans = assistant.ask("Hvor ligger Sør-Varanger i pleie og omsorg?")
    tabell = assistant.display_table(ans.columns, ans.rows)
    assert tabell.columns[:5] == ["Kommune", "Kommunenr.", "År", "Tjeneste", "Indeks"]
    row = dict(zip(tabell.columns, tabell.rows[0]))
    assert row["Tjeneste"] == "Pleie og omsorg" and row["Indeks"] in {"Effektivitet", "Kostnad", "Kvalitet"}
    assert row["År"] == "2024" and re.fullmatch(r"\d,\d\d", row["Verdi"])
    assert tabell.numeric[tabell.columns.index("Verdi")] and not tabell.numeric[0]
    assert not tabell.merknad


def test_kroner_in_the_table_have_spaces_and_no_decimals(assistant):
    ans = assistant.ask("Hva er innsparingspotensialet i Bodø?")
    tabell = assistant.display_table(ans.columns, ans.rows)
    kr = [r[tabell.columns.index("Innsparingspotensial (kr)")] for r in tabell.rows]
    assert all(re.fullmatch(r"-?\d{1,3}( \d{3})*", v) for v in kr), kr


def test_a_cut_table_says_so(assistant):
    limit = assistant.settings.sql.max_rows
    tabell = assistant.display_table(["x"], [[1.5]] * limit)
    assert tabell.merknad == f"Tabellen er begrenset til {limit:,} rader.".replace(",", " ")
