MATCH (n:DealRole)<-[:HAS_ROLE]-(o:Opportunity)-[:FOR_ACCOUNT]->(c:Company {{`id`: $id}})
RETURN {returns}
