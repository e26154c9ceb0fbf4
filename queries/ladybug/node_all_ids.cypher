MATCH (n:{label})
RETURN n.`id` AS id
