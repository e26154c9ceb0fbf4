UNWIND $rows AS r
MATCH (a:{src} {{`id`: r.source}})-[e:{rel}]->(b:{tgt})
WHERE b.`id` = r.target
DELETE e
