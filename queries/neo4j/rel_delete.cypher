UNWIND $rows AS r
MATCH (a:{src} {{`id`: r.source}})-[e:{rel}]->(b:{tgt} {{`id`: r.target}})
WHERE all(k IN keys(r.key) WHERE e[k] = r.key[k])
DELETE e
