MATCH (p:Contact)-[:EMPLOYED_AT]->(c:Company {{`id`: $id}})
MATCH (q:{src})-[e:{rel}]->(p)
RETURN q.`id` AS source, p.`id` AS target{returns}
