// Reads [{name, text}] as JSON on stdin; prints [{name, errors}] for the
// queries Neo4j's Cypher 5 front end refuses. Parameters are not declared
// here, so "Parameter $x is not defined" is not an error of the query.
const { lintCypherQuery } = require("@neo4j-cypher/language-support");

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const refused = [];
  for (const q of JSON.parse(input)) {
    const result = lintCypherQuery("CYPHER 5 " + q.text, {});
    const diagnostics = result.diagnostics || result;
    const errors = diagnostics
      .filter((d) => d.severity === 1 && !/^Parameter \$\w+ is not defined/.test(d.message))
      .map((d) => d.message);
    if (errors.length) refused.push({ name: q.name, errors });
  }
  process.stdout.write(JSON.stringify(refused));
});
