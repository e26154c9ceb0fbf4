MATCH (n:{label})
WHERE n.`id` > $after AND {where}
RETURN {returns}
ORDER BY n.`id`
LIMIT $limit
