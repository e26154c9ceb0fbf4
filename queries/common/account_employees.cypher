MATCH (n:Contact)-[e:EMPLOYED_AT]->(c:Company {`id`: $id})
RETURN n, e.title AS title, e.start_date AS start_date, e.end_date AS end_date
