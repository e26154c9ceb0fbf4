UNWIND $rows AS r
MATCH (n:{label} {{`id`: r.`id`}})
SET n = r
