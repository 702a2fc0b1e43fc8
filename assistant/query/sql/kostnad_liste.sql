-- The municipalities that spend the most (fortegn 1) or least (fortegn -1) on a service,
-- by one column of `kostnad` (:maal; need-adjusted kr per inhabitant unless another is asked).
SELECT k.kommune, c.kommunenr, k.fylke, k.kostragruppe, c.aar, c.tjeneste, c.kr_per_innbygger,
       c.behovskorrigert_kr_per_innbygger, c.netto_driftsutgifter_kr, c.behovsindeks,
       c.gruppesnitt_kr_per_innbygger, c.innsparingspotensial_kr
FROM kostnad AS c
JOIN kommune AS k ON k.kommunenr = c.kommunenr
WHERE c.aar = :aar AND c.tjeneste = :tjeneste AND c.kr_per_innbygger IS NOT NULL
  AND (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
ORDER BY :maal * :fortegn DESC NULLS LAST, k.kommune
LIMIT :n
