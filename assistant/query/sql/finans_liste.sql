-- The municipalities with the highest (fortegn 1) or lowest (fortegn -1) value of a key figure.
SELECT k.kommune, f.kommunenr, k.fylke, k.kostragruppe, f.aar, f.netto_driftsresultat_pst,
       f.netto_lanegjeld_pst, f.disposisjonsfond_pst
FROM finans AS f
JOIN kommune AS k ON k.kommunenr = f.kommunenr
WHERE f.aar = :aar AND :maal IS NOT NULL
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
ORDER BY :maal * :fortegn DESC NULLS LAST, k.kommune
LIMIT :n
