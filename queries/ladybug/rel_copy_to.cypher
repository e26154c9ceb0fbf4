COPY (MATCH (a:{src})-[e:{rel}]->(b:{tgt}) RETURN a.`id` AS `from`, b.`id` AS `to`{returns}) TO {target}
