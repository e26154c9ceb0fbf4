MATCH (c:Company {{`id`: $id}})<-[w:EMPLOYED_AT]-(p:Contact)<-[e:{rel}]-(q:{src})
HINT (((c JOIN w) JOIN p) JOIN e) JOIN q
RETURN q.`id` AS source, p.`id` AS target{returns}
