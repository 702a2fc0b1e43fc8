-- The best (fortegn 1) or worst (fortegn -1) municipalities on one indicator.
SELECT v.rang, k.kommune, v.kommunenr, k.fylke, k.kostragruppe, v.aar, i.navn, v.verdi, i.enhet,
       v.indikator
FROM indikatorverdi AS v
JOIN indikator AS i ON i.indikator = v.indikator
JOIN kommune AS k ON k.kommunenr = v.kommunenr
WHERE v.aar = :aar AND v.indikator = :indikator AND v.rang IS NOT NULL
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
ORDER BY v.rang * :fortegn, k.kommune
LIMIT :n
