UNWIND range(0, $n - 1) AS i
CREATE (n:{label} {{`id`: $id[i]}})
SET {sets}
