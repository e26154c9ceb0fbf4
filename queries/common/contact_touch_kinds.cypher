MATCH (c:Contact)-[:PARTICIPATED_IN]->(t:Touchpoint)
WHERE c.`id` >= $first AND c.`id` <= $last
RETURN c.`id` AS id, t.`type` AS kind, count(*) AS n
