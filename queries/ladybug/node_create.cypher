UNWIND $rows AS r
CREATE (n:{label} {{{props}}})
