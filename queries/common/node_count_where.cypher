MATCH (n:{label})
WHERE {where}
RETURN count(*) AS total
