-- Index values and ranks of the named municipalities, with the average of their KOSTRA group.
WITH alle_kommuner AS (
  SELECT i.aar, i.kommunenr, k.kommune, k.kostragruppe, i.tjeneste, i.indekstype, i.verdi, i.rang,
         i.antall,
         AVG(i.verdi) OVER (PARTITION BY i.aar, i.tjeneste, i.indekstype, k.kostragruppe) AS gruppesnitt
  FROM indeks AS i
  JOIN kommune AS k ON k.kommunenr = i.kommunenr
  WHERE i.tjeneste = :tjeneste AND i.indekstype IN :indekstyper AND i.aar IN :aar
)
SELECT kommune, kommunenr, aar, tjeneste, indekstype, verdi, rang, antall, kostragruppe, gruppesnitt,
       rang - 1 AS kommuner_foran
FROM alle_kommuner
WHERE kommunenr IN :kommuner
ORDER BY aar DESC, kommune, indekstype
