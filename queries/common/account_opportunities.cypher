MATCH (n:Opportunity)-[:FOR_ACCOUNT]->(c:Company {{`id`: $id}})
RETURN {returns}
