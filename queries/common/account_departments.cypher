MATCH (c:Company {{`id`: $id}})-[:HAS_DEPARTMENT]->(n:Department)
RETURN {returns}
