MATCH ()-[e]->()
CALL (e) { DELETE e } IN TRANSACTIONS OF $batch ROWS
