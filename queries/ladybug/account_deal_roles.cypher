MATCH (c:Company {{`id`: $id}})<-[f:FOR_ACCOUNT]-(o:Opportunity)-[h:HAS_ROLE]->(n:DealRole)
HINT (((c JOIN f) JOIN o) JOIN h) JOIN n
RETURN {returns}
