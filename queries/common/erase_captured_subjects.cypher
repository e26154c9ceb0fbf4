MATCH (p:Contact {`id`: $id})-[:PARTICIPATED_IN]->(n:Touchpoint)
WHERE n.origin = $origin AND n.subject IS NOT NULL
SET n.subject = NULL, n.fingerprint = NULL
RETURN count(*) AS cleared
