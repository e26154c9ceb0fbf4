UNWIND range(0, $n - 1) AS i
MATCH (a:{src} {{`id`: $from[i]}})
MATCH (b:{tgt} {{`id`: $to[i]}})
CREATE (a)-[e:{rel}]->(b)
{sets}
