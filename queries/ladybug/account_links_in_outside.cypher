MATCH (c:Company {{`id`: $id}})<-[w:EMPLOYED_AT]-(p:Contact)<-[e:{rel}]-(q:Contact)
WHERE q.company_id IS NULL OR q.company_id <> $id
HINT (((c JOIN w) JOIN p) JOIN e) JOIN q
RETURN q.`id` AS source, p.`id` AS target{returns}
