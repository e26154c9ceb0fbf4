MATCH (p:Contact)-[:EMPLOYED_AT]->(c:Company {{`id`: $id}})
MATCH (q:Contact)-[e:{rel}]->(p)
WHERE q.company_id IS NULL OR q.company_id <> $id
RETURN q.`id` AS source, p.`id` AS target{returns}
