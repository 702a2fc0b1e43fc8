-- A municipality's ranks this year and the year before (for explanations: no group average).
SELECT k.kommune, i.kommunenr, i.aar, i.tjeneste, i.indekstype, i.verdi, i.rang, i.antall,
       k.kostragruppe
FROM indeks AS i
JOIN kommune AS k ON k.kommunenr = i.kommunenr
WHERE i.kommunenr IN :kommuner AND i.tjeneste = :tjeneste AND i.indekstype IN :indekstyper
  AND i.aar IN :aar
ORDER BY i.aar DESC, i.indekstype
