-- The indicators that pull a municipality's quality score up and down most.
WITH alle_kommuner AS (
  SELECT s.aar, s.kommunenr, k.kommune, k.kostragruppe, s.indikator, i.navn, i.tjeneste, i.enhet,
         i.hoyere_er_bedre, s.skaar, v.verdi,
         AVG(v.verdi) OVER (PARTITION BY v.aar, v.indikator) AS landssnitt,
         AVG(v.verdi) OVER (PARTITION BY v.aar, v.indikator, k.kostragruppe) AS gruppesnitt
  FROM indikatorskaar AS s
  JOIN indikator AS i ON i.indikator = s.indikator
  JOIN indikatorverdi AS v ON v.aar = s.aar AND v.kommunenr = s.kommunenr AND v.indikator = s.indikator
  JOIN kommune AS k ON k.kommunenr = s.kommunenr
  WHERE s.aar = :aar AND (:tjeneste = 'alle' OR i.tjeneste = :tjeneste)
)
SELECT kommune, kommunenr, aar, tjeneste, navn, verdi, enhet, landssnitt, gruppesnitt, skaar,
       hoyere_er_bedre, indikator
FROM alle_kommuner
WHERE kommunenr IN :kommuner AND skaar IS NOT NULL
ORDER BY skaar DESC
