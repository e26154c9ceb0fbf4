MATCH (n:User)-[e:ON_TEAM]->(c:Company {{`id`: $id}})
RETURN {returns}, e.role AS team_role
