MATCH (c:Company {{`id`: $id}})<-[w:EMPLOYED_AT]-(p:Contact)-[h:HAS_PROFILE_ITEM]->(n:ProfileItem)
HINT (((c JOIN w) JOIN p) JOIN h) JOIN n
RETURN {returns}
