LOAD FROM {source}
MATCH (n:{label} {{`id`: `id`}})
SET {assignments}
