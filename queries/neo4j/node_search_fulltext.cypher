CALL db.index.fulltext.queryNodes($index, $terms) YIELD node AS n
WITH n
WHERE n:{label} AND ({where})
RETURN {returns}
ORDER BY n.`id`
LIMIT $limit
