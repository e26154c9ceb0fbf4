UNWIND $rows AS r
MATCH (a:{src} {{`id`: r.source}})
MATCH (b:{tgt} {{`id`: r.target}})
CREATE (a)-[e:{rel}]->(b)
SET e = r.props
