MATCH (n:{label})
WHERE {where}
RETURN {returns}
ORDER BY n.`id`
LIMIT $limit
