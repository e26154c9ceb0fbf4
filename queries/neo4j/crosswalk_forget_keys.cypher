UNWIND $ids AS key
MATCH (x:ImportCrosswalk {`id`: key})
DELETE x
RETURN count(*) AS removed
