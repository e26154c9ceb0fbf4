MATCH (p:Contact)-[:EMPLOYED_AT]->(c:Company {{`id`: $id}})
MATCH (p)-[:HAS_PROFILE_ITEM]->(n:ProfileItem)
RETURN {returns}
