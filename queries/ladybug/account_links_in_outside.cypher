MATCH (c:Company {{`id`: $id}})<-[w:EMPLOYED_AT]-(p:Contact)<-[e:{rel}]-(q:Contact)
HINT (((c JOIN w) JOIN p) JOIN e) JOIN q
WITH p, e, q
WHERE q.company_id IS NULL OR q.company_id <> $id
RETURN q.`id` AS source, p.`id` AS target{returns}
