MATCH (n:{label})
RETURN count(*) AS total
