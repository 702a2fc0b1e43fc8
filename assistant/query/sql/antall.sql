-- How many municipalities were ranked on an index.
SELECT aar, tjeneste, indekstype, MAX(antall) AS antall, COUNT(*) AS kommuner_i_alt
FROM indeks
WHERE aar = :aar AND tjeneste = :tjeneste AND indekstype = :indekstype
GROUP BY aar, tjeneste, indekstype
