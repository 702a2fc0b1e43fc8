-- Savings potential per service and in total: spending at the KOSTRA group's need-adjusted average.
SELECT k.kommune, c.kommunenr, c.aar, c.tjeneste, c.innsparingspotensial_kr,
       c.behovskorrigert_kr_per_innbygger, c.gruppesnitt_kr_per_innbygger, k.kostragruppe
FROM kostnad AS c
JOIN kommune AS k ON k.kommunenr = c.kommunenr
WHERE c.kommunenr IN :kommuner AND c.aar = :aar
  AND (:tjeneste = 'alle' OR c.tjeneste IN (:tjeneste, 'alle'))
ORDER BY k.kommune, c.tjeneste = 'alle' DESC, c.innsparingspotensial_kr DESC
