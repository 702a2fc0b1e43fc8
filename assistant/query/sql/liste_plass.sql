-- The municipalities at a range of ranks of an index ("plass 10–20"; one rank: fra = til).
SELECT i.rang, k.kommune, i.kommunenr, k.fylke, k.kostragruppe, i.aar, i.tjeneste, i.indekstype,
       i.verdi, i.antall
FROM indeks AS i
JOIN kommune AS k ON k.kommunenr = i.kommunenr
WHERE i.aar = :aar AND i.tjeneste = :tjeneste AND i.indekstype = :indekstype
  AND i.rang BETWEEN :fra AND :til
ORDER BY i.rang, k.kommune
