"""The parts of a small test SSB catalogue that the client and the CSV import tests share.
Text for `str.format`: literal braces are doubled."""

REGIONER = """
[regioner]
spesialkoder = ["EAK", "EAKUO", "EKA*", "EKG*", "0", "??"]
delt = {{ "1507" = ["1508", "1580"] }}
aggregatnavn = ["Landet*", "KOSTRA-gruppe*"]
"""

VARIABLER = """
[variabel.innbyggere]
tabell = "07459"
contentscode = "Personer1"
tid_forskyvning = 1

[variabel."finans.netto_driftsresultat_pst"]
tabell = "12134"
contentscode = "KOSAGD230000"

[variabel."netto_driftsutgifter.barnehage"]
tabell = "12362"
contentscode = "KOSbelop0000"
filter = {{ KOKart0000 = ["AGD2"], KOKfunksjon0000 = ["FGK7"] }}
faktor = 1000

[variabel."netto_driftsutgifter.helse"]
tabell = "12362"
contentscode = "KOSbelop0000"
filter = {{ KOKart0000 = ["AGD2"], KOKfunksjon0000 = ["232", "233", "241"] }}
summer = ["KOKfunksjon0000"]
faktor = 1000
"""
