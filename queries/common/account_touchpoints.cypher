MATCH (n:Touchpoint)-[:ON_ACCOUNT]->(c:Company {{`id`: $id}})
RETURN {returns}
