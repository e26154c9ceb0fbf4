UNWIND $rows AS r
MERGE (x:ImportCrosswalk {`id`: r.`id`})
SET x.source = r.source, x.kind = r.kind, x.foreign_id = r.foreign_id, x.our_id = r.our_id
