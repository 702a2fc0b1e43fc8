-- What the register says about a municipality: county, KOSTRA group, centrality, number.
SELECT k.kommune, k.kommunenr, k.offisielt_navn, k.fylke, k.kostragruppe, k.sentralitet
FROM kommune AS k
WHERE k.kommunenr IN :kommuner
ORDER BY k.kommune
