MATCH (a:{src} {{`id`: $id}})-[e:{rel}]->(b:{tgt})
RETURN a.`id` AS source, b.`id` AS target{returns}
