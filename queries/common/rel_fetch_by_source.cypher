UNWIND $ids AS i
MATCH (a:{src} {{`id`: i}})-[e:{rel}]->(b:{tgt})
RETURN a.`id` AS source, b.`id` AS target{returns}
