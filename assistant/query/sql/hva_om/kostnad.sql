-- One year of `kostnad`, in the order the build writes it (what-if recomputes from it).
SELECT kommunenr, tjeneste, netto_driftsutgifter_kr, kr_per_innbygger, behovsindeks,
       behovskorrigert_kr_per_innbygger, gruppesnitt_kr_per_innbygger, innsparingspotensial_kr
FROM kostnad WHERE aar = :aar ORDER BY tjeneste, kommunenr
