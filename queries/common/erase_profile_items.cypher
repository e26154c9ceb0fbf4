MATCH (p:Contact {`id`: $id})-[:HAS_PROFILE_ITEM]->(n:ProfileItem)
DETACH DELETE n
RETURN count(*) AS removed
