MATCH (n:Company {{`id`: $id}})
RETURN {returns}
