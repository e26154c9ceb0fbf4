MATCH (n:Contact)-[e:EMPLOYED_AT]->(c:Company {{`id`: $id}})
RETURN {returns}, e.title AS emp_title,
       duration.inDays(date({{year: 1970, month: 1, day: 1}}), e.start_date).days AS emp_start,
       duration.inDays(date({{year: 1970, month: 1, day: 1}}), e.end_date).days AS emp_end
