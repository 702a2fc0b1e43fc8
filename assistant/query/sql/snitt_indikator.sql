-- The average of one indicator in a county, a KOSTRA group or the whole country.
SELECT v.aar, i.navn, i.enhet, AVG(v.verdi) AS snitt, COUNT(v.verdi) AS antall_kommuner,
       MIN(v.verdi) AS lavest, MAX(v.verdi) AS hoyest
FROM indikatorverdi AS v
JOIN indikator AS i ON i.indikator = v.indikator
JOIN kommune AS k ON k.kommunenr = v.kommunenr
WHERE v.aar = :aar AND v.indikator = :indikator
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
GROUP BY v.aar, i.navn, i.enhet
