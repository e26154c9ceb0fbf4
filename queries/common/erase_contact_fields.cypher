MATCH (n:Contact {`id`: $id})
SET n.name = $name, n.email = NULL, n.phone = NULL
RETURN n.`id` AS id
