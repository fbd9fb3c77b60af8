// Runs every graphql-http server audit (the GraphQL over HTTP spec's
// conformance checks) against the GraphQL endpoint given as the first
// argument, and prints one JSON object: the counts, and the failures by
// level ("must" = the audit's errors, "should" = its warnings, "may" =
// its notices), each with the audit's id, name and reason.
//
//   node tests/http-audit/audit.mjs http://127.0.0.1:8080/graphql
//
// Exits 0 whatever the audit found (the Rust test judges), 2 on misuse.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const results = await auditServer({ url });
const levels = { error: 'must', warn: 'should', notice: 'may' };
const failures = { must: [], should: [], may: [] };
for (const result of results) {
  if (result.status === 'ok') continue;
  let body = '';
  try {
    body = (await result.response.text()).slice(0, 500);
  } catch {
    // Already read by the audit, or no body: the reason says enough.
  }
  failures[levels[result.status]].push({
    id: result.id,
    name: result.name,
    reason: result.reason,
    status: result.response?.status,
    body,
  });
}
console.log(
  JSON.stringify(
    {
      audits: results.length,
      passed: results.filter((r) => r.status === 'ok').length,
      failures,
    },
    null,
    2,
  ),
);
