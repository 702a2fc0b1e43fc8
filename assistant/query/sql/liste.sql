-- The best (fortegn 1) or worst (fortegn -1) ranked municipalities on one index; :forskyv skips
-- the first ones ("nr. 5 til 10 i Nordland": the 5th to 10th in the county).
SELECT i.rang, k.kommune, i.kommunenr, k.fylke, k.kostragruppe, i.aar, i.tjeneste, i.indekstype,
       i.verdi, i.antall
FROM indeks AS i
JOIN kommune AS k ON k.kommunenr = i.kommunenr
WHERE i.aar = :aar AND i.tjeneste = :tjeneste AND i.indekstype = :indekstype
  AND i.rang IS NOT NULL
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
ORDER BY i.rang * :fortegn, k.kommune
LIMIT :n OFFSET :forskyv
