-- The average of one financial key figure in a county, a KOSTRA group or the whole country.
SELECT f.aar, AVG(:maal) AS snitt, COUNT(:maal) AS antall_kommuner, MIN(:maal) AS lavest,
       MAX(:maal) AS hoyest
FROM finans AS f
JOIN kommune AS k ON k.kommunenr = f.kommunenr
WHERE f.aar = :aar
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
GROUP BY f.aar
