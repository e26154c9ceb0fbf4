MATCH (c:Company {{`id`: $id}})<-[o:ON_ACCOUNT]-(n:Touchpoint)
HINT (c JOIN o) JOIN n
RETURN {returns}
