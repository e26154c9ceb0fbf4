UNWIND range(0, $n - 1) AS i
MATCH (n:{label} {{`id`: $id[i]}})
SET {sets}
