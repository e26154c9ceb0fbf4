MATCH (n:{label})
RETURN n.`id` AS id, n.fingerprint AS fp
