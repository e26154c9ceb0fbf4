UNWIND $rows AS r
MATCH (a:{src} {{`id`: r.source}})
MATCH (b:{tgt} {{`id`: r.target}})
MERGE (a)-[e:{rel}{key}]->(b)
SET e += r.props
