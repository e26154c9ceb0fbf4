UNWIND $rows AS r
MATCH (a:{src} {{`id`: r.source}})-[e:{rel}]->(b:{tgt})
WHERE b.`id` = r.target AND {key_match}
DELETE e
