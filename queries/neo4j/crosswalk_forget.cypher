MATCH (x:ImportCrosswalk {our_id: $id})
DELETE x
RETURN count(*) AS removed
