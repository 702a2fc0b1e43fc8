-- Net operating expenditure per inhabitant: SSB's published figure for the service's function
-- group (ssb_*, where the service is one group), and the index's own: excl. employer's tax and
-- need-adjusted, with the KOSTRA group's average.
SELECT k.kommune, c.kommunenr, c.aar, c.tjeneste, r.kr_per_innbygger AS ssb_kr_per_innbygger,
       r.belop_1000kr * 1000 AS ssb_netto_driftsutgifter_kr, c.netto_driftsutgifter_kr,
       c.kr_per_innbygger, c.behovsindeks, c.behovskorrigert_kr_per_innbygger,
       c.gruppesnitt_kr_per_innbygger, c.innsparingspotensial_kr, k.kostragruppe
FROM kostnad AS c
JOIN kommune AS k ON k.kommunenr = c.kommunenr
LEFT JOIN regnskapsmaal AS rm ON rm.tjeneste = c.tjeneste
LEFT JOIN regnskap AS r ON r.maal = rm.maal AND r.kommunenr = c.kommunenr AND r.aar = c.aar
WHERE c.kommunenr IN :kommuner AND c.aar = :aar
  AND (:tjeneste = 'alle' OR c.tjeneste = :tjeneste)
ORDER BY k.kommune, c.tjeneste = 'alle' DESC, c.tjeneste
