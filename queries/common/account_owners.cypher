MATCH (n:User)-[e:OWNS]->(c:Company {`id`: $id})
RETURN n, e.since AS since, e.until AS until
