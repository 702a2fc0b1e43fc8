-- Rank change between two years on one index: the biggest climbers (fortegn 1) or fallers (-1).
SELECT k.kommune, n.kommunenr, k.fylke, k.kostragruppe, f.rang AS rang_fra, n.rang AS rang_til,
       f.rang - n.rang AS plasser_opp, f.aar AS fra_aar, n.aar AS til_aar, n.tjeneste,
       n.indekstype, n.antall
FROM indeks AS n
JOIN indeks AS f
  ON f.kommunenr = n.kommunenr AND f.tjeneste = n.tjeneste AND f.indekstype = n.indekstype
  AND f.aar = :fra_aar
JOIN kommune AS k ON k.kommunenr = n.kommunenr
WHERE n.aar = :aar AND n.tjeneste = :tjeneste AND n.indekstype = :indekstype
  AND n.rang IS NOT NULL AND f.rang IS NOT NULL
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
ORDER BY (f.rang - n.rang) * :fortegn DESC, k.kommune
LIMIT :n
