MATCH (p:Contact)-[:EMPLOYED_AT]->(c:Company)
RETURN c.`id` AS id, count(p) AS contacts
