-- How many municipalities a county or KOSTRA group has.
SELECT COUNT(*) AS antall_kommuner, MIN(k.fylke) AS fylke, MIN(k.kostragruppe) AS kostragruppe
FROM kommune AS k
WHERE (:fylke IS NULL OR k.fylke = :fylke)
  AND (:kostragruppe IS NULL OR k.kostragruppe = :kostragruppe)
