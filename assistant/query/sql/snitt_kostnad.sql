-- The average of one column of `kostnad` in a county, a KOSTRA group or the whole country.
SELECT c.aar, c.tjeneste, AVG(:maal) AS snitt, COUNT(:maal) AS antall_kommuner, MIN(:maal) AS lavest,
       MAX(:maal) AS hoyest
FROM kostnad AS c
JOIN kommune AS k ON k.kommunenr = c.kommunenr
WHERE c.aar = :aar AND c.tjeneste = :tjeneste
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
GROUP BY c.aar, c.tjeneste
