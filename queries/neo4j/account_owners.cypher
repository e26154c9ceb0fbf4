MATCH (n:User)-[e:OWNS]->(c:Company {{`id`: $id}})
RETURN {returns},
       e.since.epochMillis * 1000 + e.since.microsecond % 1000 AS owns_since,
       e.until.epochMillis * 1000 + e.until.microsecond % 1000 AS owns_until
