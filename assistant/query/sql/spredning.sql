-- Cost and quality index of every municipality for one service and year (the scatter chart).
SELECT k.kommune, i.kommunenr, k.kostragruppe,
       MAX(CASE WHEN i.indekstype = 'kostnad' THEN i.verdi END) AS kostnad,
       MAX(CASE WHEN i.indekstype = 'kvalitet' THEN i.verdi END) AS kvalitet
FROM indeks AS i
JOIN kommune AS k ON k.kommunenr = i.kommunenr
WHERE i.aar = :aar AND i.tjeneste = :tjeneste AND i.indekstype IN ('kostnad', 'kvalitet')
GROUP BY k.kommune, i.kommunenr, k.kostragruppe
