MATCH (c:Company {{`id`: $id}})<-[e:EMPLOYED_AT]-(n:Contact)
HINT (c JOIN e) JOIN n
RETURN {returns}, e.title AS emp_title, e.start_date AS emp_start, e.end_date AS emp_end
