MATCH (n:User)-[e:OWNS]->(c:Company {{`id`: $id}})
RETURN {returns}, e.since AS owns_since, e.until AS owns_until
