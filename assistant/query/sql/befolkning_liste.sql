-- The largest (fortegn 1) or smallest (fortegn -1) municipalities by population.
SELECT k.kommune, b.kommunenr, k.fylke, k.kostragruppe, b.aar, b.innbyggere
FROM befolkning AS b
JOIN kommune AS k ON k.kommunenr = b.kommunenr
WHERE b.aar = :aar
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
ORDER BY b.innbyggere * :fortegn DESC, k.kommune
LIMIT :n
