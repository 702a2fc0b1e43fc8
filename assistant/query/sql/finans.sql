-- The three financial key figures over the years, with the KOSTRA group's average.
WITH alle_kommuner AS (
  SELECT f.aar, f.kommunenr, k.kommune, k.kostragruppe, f.netto_driftsresultat_pst,
         f.netto_lanegjeld_pst, f.disposisjonsfond_pst,
         AVG(f.netto_driftsresultat_pst) OVER (PARTITION BY f.aar, k.kostragruppe) AS gruppesnitt_driftsresultat,
         AVG(f.netto_lanegjeld_pst) OVER (PARTITION BY f.aar, k.kostragruppe) AS gruppesnitt_lanegjeld,
         AVG(f.disposisjonsfond_pst) OVER (PARTITION BY f.aar, k.kostragruppe) AS gruppesnitt_disposisjonsfond
  FROM finans AS f
  JOIN kommune AS k ON k.kommunenr = f.kommunenr
  WHERE f.aar <= :aar
)
SELECT kommune, kommunenr, aar, netto_driftsresultat_pst, netto_lanegjeld_pst, disposisjonsfond_pst,
       gruppesnitt_driftsresultat, gruppesnitt_lanegjeld, gruppesnitt_disposisjonsfond, kostragruppe
FROM alle_kommuner
WHERE kommunenr IN :kommuner
ORDER BY kommune, aar DESC
