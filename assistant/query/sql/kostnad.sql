-- Net operating expenditure excl. employer's tax, per inhabitant and need-adjusted.
SELECT k.kommune, c.kommunenr, c.aar, c.tjeneste, c.netto_driftsutgifter_kr, c.kr_per_innbygger,
       c.behovsindeks, c.behovskorrigert_kr_per_innbygger, c.gruppesnitt_kr_per_innbygger,
       c.innsparingspotensial_kr, k.kostragruppe
FROM kostnad AS c
JOIN kommune AS k ON k.kommunenr = c.kommunenr
WHERE c.kommunenr IN :kommuner AND c.aar = :aar
  AND (:tjeneste = 'alle' OR c.tjeneste = :tjeneste)
ORDER BY k.kommune, c.tjeneste = 'alle' DESC, c.tjeneste
