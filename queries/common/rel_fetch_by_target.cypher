UNWIND $ids AS i
MATCH (a:{src})-[e:{rel}]->(b:{tgt} {{`id`: i}})
RETURN a.`id` AS source, b.`id` AS target{returns}
