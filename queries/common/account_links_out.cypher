MATCH (p:Contact)-[:EMPLOYED_AT]->(c:Company {{`id`: $id}})
MATCH (p)-[e:{rel}]->(q:{tgt})
RETURN p.`id` AS source, q.`id` AS target{returns}
