-- Population at the end of each data year.
SELECT k.kommune, b.kommunenr, b.aar, b.innbyggere
FROM befolkning AS b
JOIN kommune AS k ON k.kommunenr = b.kommunenr
WHERE b.kommunenr IN :kommuner AND b.aar <= :aar
ORDER BY k.kommune, b.aar DESC
