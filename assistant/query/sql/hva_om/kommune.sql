-- The KOSTRA group of every municipality.
SELECT kommunenr, kostragruppe FROM kommune ORDER BY kommunenr
