MATCH (a:{src})-[e:{rel}]->(b:{tgt})
WHERE a.`id` IN $ids
RETURN a.`id` AS source, b.`id` AS target{returns}
