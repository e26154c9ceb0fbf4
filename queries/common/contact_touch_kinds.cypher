MATCH (c:Contact)-[:PARTICIPATED_IN]->(t:Touchpoint)
RETURN c.`id` AS id, t.`type` AS kind, count(*) AS n
