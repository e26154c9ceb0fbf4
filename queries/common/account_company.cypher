MATCH (n:Company {`id`: $id})
RETURN n
