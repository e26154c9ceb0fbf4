MATCH (a:{src})-[e:{rel}]->(b:{tgt})
WHERE e.origin IS NULL OR NOT e.origin STARTS WITH $prefix
RETURN a.`id` AS source, b.`id` AS target{returns}
