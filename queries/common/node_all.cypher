MATCH (n:{label})
RETURN {returns}
