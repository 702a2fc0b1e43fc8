-- One index for every member of a municipality's KOSTRA group (the group chart).
SELECT k.kommune, i.kommunenr, k.kostragruppe, i.verdi, i.rang, i.antall
FROM indeks AS i
JOIN kommune AS k ON k.kommunenr = i.kommunenr
WHERE i.aar = :aar AND i.tjeneste = :tjeneste AND i.indekstype = :indekstype
  AND i.verdi IS NOT NULL
  AND k.kostragruppe = (SELECT kostragruppe FROM kommune WHERE kommunenr = :kommunenr)
ORDER BY i.rang
