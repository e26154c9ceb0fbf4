MATCH (a:{src})-[e:{rel}]->(b:{tgt} {{`id`: $id}})
RETURN a.`id` AS source, b.`id` AS target{returns}
