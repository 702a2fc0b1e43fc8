-- The municipalities first on one indicator, ordered by :orden: the rank (best or worst first)
-- or the value itself ("mest vannlekkasje": the highest first).
SELECT v.rang, k.kommune, v.kommunenr, k.fylke, k.kostragruppe, v.aar, i.navn, v.verdi, i.enhet,
       v.indikator
FROM indikatorverdi AS v
JOIN indikator AS i ON i.indikator = v.indikator
JOIN kommune AS k ON k.kommunenr = v.kommunenr
WHERE v.aar = :aar AND v.indikator = :indikator AND v.rang IS NOT NULL
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
ORDER BY :orden, k.kommune
LIMIT :n
