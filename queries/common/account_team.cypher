MATCH (n:User)-[e:ON_TEAM]->(c:Company {`id`: $id})
RETURN n, e.role AS role
