UNWIND $ids AS i
MATCH (n:{label} {{`id`: i}})
RETURN n.`id` AS id, n.`fingerprint` AS fp
