MATCH (v:DataVersion {`id`: 'data'})
RETURN v.`changes` AS changes, v.`erasures` AS erasures
