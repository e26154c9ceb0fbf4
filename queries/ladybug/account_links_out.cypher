MATCH (c:Company {{`id`: $id}})<-[w:EMPLOYED_AT]-(p:Contact)-[e:{rel}]->(q:{tgt})
HINT (((c JOIN w) JOIN p) JOIN e) JOIN q
RETURN p.`id` AS source, q.`id` AS target{returns}
