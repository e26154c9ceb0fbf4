MATCH (x:ImportCrosswalk)
RETURN x.source AS source, x.kind AS kind, x.foreign_id AS foreign_id, x.our_id AS our_id
