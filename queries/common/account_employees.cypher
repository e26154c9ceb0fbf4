MATCH (n:Contact)-[e:EMPLOYED_AT]->(c:Company {{`id`: $id}})
RETURN {returns}, e.title AS emp_title, e.start_date AS emp_start, e.end_date AS emp_end
