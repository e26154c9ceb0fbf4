CREATE FULLTEXT INDEX {label}_text IF NOT EXISTS
FOR (n:{label}) ON EACH [{fields}]
OPTIONS {{indexConfig: {{`fulltext.analyzer`: 'standard-no-stop-words'}}}}
