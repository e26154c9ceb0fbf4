CREATE INDEX {label}_{field} IF NOT EXISTS
FOR (n:{label}) ON (n.`{field}`)
