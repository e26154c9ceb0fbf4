UNWIND range(0, $n - 1) AS i
MERGE (n:{label} {{`id`: $id[i]}})
SET {sets}
