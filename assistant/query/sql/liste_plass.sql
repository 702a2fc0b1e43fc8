-- The municipality (or those sharing it) at one rank of an index.
SELECT i.rang, k.kommune, i.kommunenr, k.fylke, k.kostragruppe, i.aar, i.tjeneste, i.indekstype,
       i.verdi, i.antall
FROM indeks AS i
JOIN kommune AS k ON k.kommunenr = i.kommunenr
WHERE i.aar = :aar AND i.tjeneste = :tjeneste AND i.indekstype = :indekstype AND i.rang = :plass
ORDER BY k.kommune
