MATCH (n:Contact {`id`: $id})
SET n.name = $name, n.email = NULL, n.phone = NULL, n.fingerprint = NULL
RETURN n.`id` AS id
