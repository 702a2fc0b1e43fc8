-- The largest savings potentials (fortegn 1) or the most below their group (fortegn -1).
SELECT k.kommune, c.kommunenr, k.fylke, k.kostragruppe, c.aar, c.tjeneste,
       c.innsparingspotensial_kr, c.behovskorrigert_kr_per_innbygger, c.gruppesnitt_kr_per_innbygger
FROM kostnad AS c
JOIN kommune AS k ON k.kommunenr = c.kommunenr
WHERE c.aar = :aar AND c.tjeneste = :tjeneste AND c.innsparingspotensial_kr IS NOT NULL
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
ORDER BY c.innsparingspotensial_kr * :fortegn DESC, k.kommune
LIMIT :n
