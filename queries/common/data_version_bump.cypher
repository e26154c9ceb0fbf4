MERGE (v:DataVersion {`id`: 'data'})
ON CREATE SET v.`changes` = 0, v.`erasures` = 0
SET v.`changes` = v.`changes` + 1, v.`erasures` = v.`erasures` + $erasures
RETURN v.`changes` AS changes
