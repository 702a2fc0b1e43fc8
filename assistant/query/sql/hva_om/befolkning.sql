-- One year of population.
SELECT kommunenr, innbyggere FROM befolkning WHERE aar = :aar ORDER BY kommunenr
