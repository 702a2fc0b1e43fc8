-- The population of a county or KOSTRA group at the end of the year.
SELECT b.aar, SUM(b.innbyggere) AS innbyggere, COUNT(*) AS antall_kommuner
FROM befolkning AS b
JOIN kommune AS k ON k.kommunenr = b.kommunenr
WHERE b.aar = :aar
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
GROUP BY b.aar
