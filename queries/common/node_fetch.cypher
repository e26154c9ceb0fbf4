UNWIND $ids AS i
MATCH (n:{label} {{`id`: i}})
RETURN {returns}
