MATCH ()-[e:{rel}]->()
RETURN count(*) AS total
