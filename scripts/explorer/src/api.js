// The Explorer's only way to the data: POST /graphql, the public API.
//
// This module doubles as the example for front-end developers: every query
// the page runs is written out here, with the variables it takes.

/** Where the API lives: the same origin that served the page. */
export const ENDPOINT = "/graphql";

/** The server could not be reached at all (down, wrong port, offline). */
export class ServerUnreachable extends Error {
  constructor(cause) {
    super(`Cannot reach the newsgraph server at ${ENDPOINT}`);
    this.name = "ServerUnreachable";
    this.cause = cause;
  }
}

/** The server answered, but with an error (HTTP or GraphQL). */
export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

/**
 * Runs one GraphQL operation and returns its `data`.
 * Throws ServerUnreachable when no answer arrives, ApiError otherwise.
 */
export async function graphql(query, variables = {}, { signal } = {}) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ServerUnreachable(e);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    // A proxy's error page, a 502 from a dead upstream: not our API.
    if (response.status >= 500) throw new ServerUnreachable(new Error(`HTTP ${response.status}`));
    throw new ApiError(`The server answered HTTP ${response.status} without GraphQL`, "HTTP");
  }
  if (body.errors && body.errors.length > 0) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions?.code ?? "ERROR");
  }
  if (!response.ok) throw new ApiError(`The server answered HTTP ${response.status}`, "HTTP");
  return body.data;
}

/**
 * Everything the Explorer shows about one relation: `confidence` is how sure
 * extraction is (0 to 1); `corroboration` counts the distinct documents and
 * outlets behind the same (subject, kind, object) in the whole store.
 */
const RELATION_FIELDS = `
  id kind quote confidence
  corroboration { documentCount sourceCount }
  subject { id name kind }
  object { id name kind }
  evidence { sentence start end }
  event { label date }
  document { id title source published }
`;

const ACTOR_FIELDS = "id name kind aliases";

/** Actors whose name or alias contains `search` (diacritics-insensitive). */
export async function searchActors(search, { first = 12, signal } = {}) {
  const data = await graphql(
    `query Suggest($search: String!, $first: Int!) {
      actors(search: $search, first: $first) {
        totalCount
        nodes { ${ACTOR_FIELDS} }
      }
    }`,
    { search, first },
    { signal },
  );
  return { total: data.actors.totalCount, actors: data.actors.nodes };
}

/** The API's largest page. */
const PAGE = 1000;

/**
 * One actor (by name, alias or id) with its relations of at least
 * `minConfidence`, or null. Pages through `relations` (1,000 at a time) up
 * to `cap`; `truncated` says whether more exist.
 */
export async function actorWithRelations({ name, id }, { cap = 5000, minConfidence = 0 } = {}) {
  let after = null;
  let actor = null;
  const relations = [];
  let total = 0;
  for (;;) {
    const data = await graphql(
      `query Ego($name: String, $id: ID, $first: Int!, $after: String, $minConfidence: Float) {
        actor(name: $name, id: $id) {
          ${ACTOR_FIELDS}
          relations(direction: BOTH, first: $first, after: $after, minConfidence: $minConfidence) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes { ${RELATION_FIELDS} }
          }
        }
      }`,
      { name: name ?? null, id: id ?? null, first: PAGE, after, minConfidence: minConfidence || null },
    );
    if (!data.actor) return null;
    const { relations: page, ...fields } = data.actor;
    actor ??= fields;
    total = page.totalCount;
    relations.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || relations.length >= cap) break;
    after = page.pageInfo.endCursor;
  }
  return { ...actor, relations, truncated: relations.length < total };
}

/**
 * The relations of many actors at once (for depth 2), as a map from id to
 * the actor with (up to `each` of) its relations of at least `minConfidence`. One request per `batch`
 * actors, using GraphQL aliases (the server allows 30 per request), so
 * that a wide neighbourhood costs a few round trips.
 */
export async function relationsOfMany(ids, { batch = 15, each = 300, minConfidence = 0 } = {}) {
  const chunks = [];
  for (let i = 0; i < ids.length; i += batch) chunks.push(ids.slice(i, i + batch));
  const answers = await Promise.all(
    chunks.map((chunk) => {
      const vars = chunk.map((_, i) => `$a${i}: ID`).join(", ");
      const fields = chunk
        .map(
          (_, i) =>
            `a${i}: actor(id: $a${i}) { ${ACTOR_FIELDS} relations(direction: BOTH, first: $each, minConfidence: $minConfidence) { totalCount nodes { ${RELATION_FIELDS} } } }`,
        )
        .join("\n");
      const variables = Object.fromEntries(chunk.map((id, i) => [`a${i}`, id]));
      return graphql(`query Neighbours($each: Int!, $minConfidence: Float, ${vars}) { ${fields} }`, { ...variables, each, minConfidence: minConfidence || null });
    }),
  );
  const out = new Map();
  for (const data of answers) {
    for (const actor of Object.values(data)) {
      if (actor) out.set(actor.id, { ...actor, relations: actor.relations.nodes, truncated: actor.relations.nodes.length < actor.relations.totalCount });
    }
  }
  return out;
}

/** What the store holds, and the best-connected actors to suggest on the welcome screen. */
export async function overview(limit = 8) {
  const data = await graphql(
    `query Overview($limit: Int!) {
      stats {
        documents actors relations
        topActors(limit: $limit) { degree actor { id name kind } }
      }
    }`,
    { limit },
  );
  const { topActors, ...stats } = data.stats;
  return { stats, actors: topActors.filter((t) => t.degree > 0).map((t) => ({ ...t.actor, degree: t.degree })) };
}

/**
 * The shortest chains of relations between two actors (names or aliases).
 * Returns { from, to, paths }: `from`/`to` are null for an unknown name;
 * `paths` holds up to `limit` chains of the shortest length (none when no
 * chain of at most `maxHops` relations exists).
 */
export async function shortestPaths(from, to, { maxHops = 6, limit = 5 } = {}) {
  const ends = await graphql(
    `query PathEnds($from: String!, $to: String!) {
      from: actor(name: $from) { id name kind }
      to: actor(name: $to) { id name kind }
    }`,
    { from, to },
  );
  if (!ends.from || !ends.to) return { ...ends, paths: [] };
  // The length first (a breadth-first search), then every chain of that length.
  const shortest = await graphql(
    `query Shortest($from: String!, $to: String!, $maxHops: Int!) {
      shortestPath(from: $from, to: $to, maxHops: $maxHops) { length }
    }`,
    { from: ends.from.id, to: ends.to.id, maxHops },
  );
  if (!shortest.shortestPath) return { ...ends, paths: [] };
  const data = await graphql(
    `query Paths($from: String!, $to: String!, $maxHops: Int!, $limit: Int!) {
      paths(from: $from, to: $to, maxHops: $maxHops, limit: $limit) {
        length
        relations { ${RELATION_FIELDS} }
      }
    }`,
    { from: ends.from.id, to: ends.to.id, maxHops: shortest.shortestPath.length, limit },
  );
  return { ...ends, paths: data.paths };
}

/** One article with its text. */
export async function documentText(id) {
  const data = await graphql(
    `query Article($id: ID!) {
      document(id: $id) { id title source published text }
    }`,
    { id },
  );
  return data.document;
}

/**
 * Graphviz DOT from the server's writer (the same as `newsgraph export
 * --format dot`): an actor's ego network (`{ actor, depth }`) or the chains
 * between two actors (`{ from, to, maxHops }`), without the relations below
 * `minConfidence`.
 */
export async function dot({ actor = null, depth = 1, from = null, to = null, maxHops = 6, minConfidence = 0 }) {
  const data = await graphql(
    `query Dot($actor: String, $depth: Int!, $from: String, $to: String, $maxHops: Int!, $minConfidence: Float) {
      dot(actor: $actor, depth: $depth, from: $from, to: $to, maxHops: $maxHops, minConfidence: $minConfidence)
    }`,
    { actor, depth, from, to, maxHops, minConfidence: minConfidence || null },
  );
  return data.dot;
}

/**
 * Relation counts per `interval` ("DAY", "WEEK" or "MONTH"), by kind: of
 * one actor (`actor`, name or id, either side), or of a pair (`actor` and
 * `counterpart`, either direction), optionally of one `kind`, of the
 * relations of at least `minConfidence`. Buckets run
 * without gaps from the first dated relation to the last; `undated` counts
 * the relations whose article has no date (they are in `total`, in no bucket).
 */
export async function timeline({ actor, counterpart = null, kind = null, minConfidence = 0 }, interval = "MONTH") {
  const data = await graphql(
    `query Timeline($actor: String, $counterpart: String, $kind: RelationKind, $minConfidence: Float, $interval: TimelineInterval!) {
      timeline(actor: $actor, counterpart: $counterpart, kind: $kind, minConfidence: $minConfidence, interval: $interval) {
        interval
        buckets { start end count said requested rejected }
        total undated
      }
    }`,
    { actor, counterpart, kind, minConfidence: minConfidence || null, interval },
  );
  return data.timeline;
}
