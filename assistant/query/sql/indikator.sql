-- Indicator values of the named municipalities, with the national and KOSTRA-group averages.
WITH alle_kommuner AS (
  SELECT v.aar, v.kommunenr, k.kommune, k.kostragruppe, v.indikator, i.navn, i.enhet,
         i.hoyere_er_bedre, i.kilde, v.verdi, v.rang,
         COUNT(v.verdi) OVER (PARTITION BY v.aar, v.indikator) AS antall,
         AVG(v.verdi) OVER (PARTITION BY v.aar, v.indikator) AS landssnitt,
         AVG(v.verdi) OVER (PARTITION BY v.aar, v.indikator, k.kostragruppe) AS gruppesnitt
  FROM indikatorverdi AS v
  JOIN indikator AS i ON i.indikator = v.indikator
  JOIN kommune AS k ON k.kommunenr = v.kommunenr
  WHERE v.indikator IN :indikatorer AND v.aar = :aar
)
SELECT kommune, kommunenr, aar, navn, verdi, enhet, rang, antall, landssnitt, gruppesnitt,
       kostragruppe, hoyere_er_bedre, kilde, indikator
FROM alle_kommuner
WHERE kommunenr IN :kommuner
ORDER BY kommune, navn
