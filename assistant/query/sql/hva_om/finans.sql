-- One year of the financial key figures.
SELECT kommunenr, netto_driftsresultat_pst, netto_lanegjeld_pst, disposisjonsfond_pst
FROM finans WHERE aar = :aar ORDER BY kommunenr
