MATCH (n:{label} {{`id`: $id}})
DETACH DELETE n
RETURN count(*) AS deleted
