UNWIND $rows AS r
MERGE (n:{label} {{`id`: r.`id`}})
SET n = r
