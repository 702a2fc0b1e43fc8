-- One year of indicator values.
SELECT kommunenr, indikator, verdi FROM indikatorverdi WHERE aar = :aar ORDER BY indikator, kommunenr
