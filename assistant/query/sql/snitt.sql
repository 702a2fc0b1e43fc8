-- The average index value in a county, a KOSTRA group or the whole country.
SELECT i.aar, i.tjeneste, i.indekstype, AVG(i.verdi) AS snitt, COUNT(i.verdi) AS antall_kommuner,
       MIN(i.verdi) AS lavest, MAX(i.verdi) AS hoyest
FROM indeks AS i
JOIN kommune AS k ON k.kommunenr = i.kommunenr
WHERE i.aar = :aar AND i.tjeneste = :tjeneste AND i.indekstype = :indekstype
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
GROUP BY i.aar, i.tjeneste, i.indekstype
