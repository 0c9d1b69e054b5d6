#!/usr/bin/env node
/*
 * A Cosmos DB (NoSQL API) server for tests: @vercel/cosmosdb-server (in memory, MIT) over HTTPS on 127.0.0.1,
 * with its request handlers patched in memory so that the .NET SDK (Microsoft.Azure.Cosmos, Gateway mode) works:
 *
 *   - queries: the SDK first asks the gateway for a query plan (header x-ms-cosmos-is-query-plan-request), which
 *     the server does not answer; we answer with a pass-through plan (one range, no client-side rewriting), so the
 *     server runs the whole query, including ORDER BY / TOP / OFFSET LIMIT / aggregates, over its single partition;
 *     query pages are ordered by _rid so that continuations page every document exactly once;
 *   - partition keys: the x-ms-documentdb-partitionkey header is honoured by reads, queries and the change feed,
 *     and a write whose header does not match the document's partition-key property is rejected (400) as Cosmos does;
 *   - 404 (not 500) for point reads of missing documents and for writes into missing containers;
 *   - change feed (latest version): every document write is stamped with an increasing _lsn; a change-feed read
 *     (A-IM: Incremental feed) returns the documents whose _lsn is above the If-None-Match continuation, in _lsn
 *     order, at most x-ms-max-item-count, with ETag = the last _lsn returned (304 and the same ETag when nothing
 *     changed). "If-None-Match: *" starts from now, If-Modified-Since from a time. This also makes the SDK's change
 *     feed processor work (leases in a container of this server).
 *
 * Not supported (the SDK sends them in a binary format the server does not parse): TransactionalBatch and bulk.
 *
 * Usage: node cosmos-server.js --port <port|0> --cert <cert.pem> --key <key.pem> [--host 127.0.0.1] [--quiet]
 * Prints "cosmos-server listening on https://<host>:<port>/" once ready; exits when stdin closes (the parent died)
 * or on SIGTERM/SIGINT.
 */
"use strict";

const fs = require("fs");
const path = require("path");

const lib = path.join(path.dirname(require.resolve("@vercel/cosmosdb-server/package.json")), "lib");
const load = name => require(path.join(lib, name));

// ---- arguments -------------------------------------------------------------------------------------------------

const args = { host: "127.0.0.1", port: 0, cert: null, key: null, quiet: false };
for (let argv = process.argv.slice(2); argv.length;) {
  const name = argv.shift();
  switch (name) {
    case "--port": args.port = parseInt(argv.shift(), 10); break;
    case "--host": args.host = argv.shift(); break;
    case "--cert": args.cert = argv.shift(); break;
    case "--key": args.key = argv.shift(); break;
    case "--quiet": args.quiet = true; break;
    default:
      process.stderr.write(`unknown argument ${name}\n`);
      process.exit(2);
  }
}
if (!args.cert || !args.key || !Number.isInteger(args.port)) {
  process.stderr.write("usage: cosmos-server.js --port <port|0> --cert <cert.pem> --key <key.pem> [--host 127.0.0.1]\n");
  process.exit(2);
}

// ---- helpers ---------------------------------------------------------------------------------------------------

const readJson = load("json").default;
const trueHeader = load("true-header").default;
const PK_HEADER = "x-ms-documentdb-partitionkey";

const notFound = res => {
  res.statusCode = 404;
  return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
};

const badRequest = (res, message) => {
  res.statusCode = 400;
  return { code: "BadRequest", message };
};

/** The partition-key property path of a collection as an array of names (["id"] by default). */
function partitionPath(collectionData) {
  const paths = ((collectionData || {}).partitionKey || {}).paths || [];
  const first = paths[0];
  if (!first || first === "/_partitionKey") return ["id"];
  return first.slice(1).split("/");
}

function valueAt(keys, data) {
  let value = data;
  for (const key of keys) {
    if (value === null || typeof value !== "object") return undefined;
    value = value[key];
  }
  return value;
}

/** The partition-key value of the request header: undefined when absent, else the first component. */
function headerPartitionKey(req) {
  let header = req.headers[PK_HEADER];
  if (Array.isArray(header)) [header] = header;
  if (!header || header === "[{}]" || header === "[]") return undefined;
  try {
    const parsed = JSON.parse(header);
    return Array.isArray(parsed) ? parsed[0] : parsed;
  } catch (err) {
    return undefined;
  }
}

/** Ordinal order of _rid strings: the order @zeit/cosmosdb-query's continuation tokens compare in. */
const byRid = (a, b) => (a._rid < b._rid ? -1 : a._rid > b._rid ? 1 : 0);

// ---- the change-feed sequence: every document write gets the next _lsn -----------------------------------------

let sequence = 0;
const Documents = load("account/documents").default;
const Items = load("account/items").default;
Documents.prototype._set = function setWithSequence(data) {
  sequence += 1;
  // eslint-disable-next-line no-param-reassign
  data._lsn = sequence;
  return Items.prototype._set.call(this, data);
};

/** All documents of a collection as stored (no copies). */
const allDocuments = collection => [...collection.documents._data.values()].map(item => item.read());

// ---- patched handlers (installed before the router loads them) -------------------------------------------------

function patch(name, handler) {
  const mod = load(`handler/${name}`);
  const original = mod.default;
  mod.default = (account, req, res, params) => handler(original, account, req, res, params);
}

// Point read: 404 for a missing document (the original dereferences it and answers 500), partition-aware.
patch("read-document", (original, account, req, res, { dbId, collId, docId }) => {
  const collection = account.database(dbId).collection(collId);
  const collectionData = collection.read();
  if (!collectionData) return notFound(res);
  const key = headerPartitionKey(req);
  const data = collection.document(docId, key === undefined ? docId : key).read();
  if (!data) return notFound(res);
  const keys = partitionPath(collectionData);
  if (key !== undefined && valueAt(keys, data) !== key) return notFound(res);
  return data;
});

// Writes: 404 into a missing container; 400 when the header's partition key is not the document's.
const ops = load("handler/_document-operations");
const rawPartitionHeader = req => {
  const header = req.headers[PK_HEADER];
  return Array.isArray(header) ? header[0] : header;
};
function checkedWrite(kind) {
  return async (original, account, req, res, { dbId, collId, docId }) => {
    const body = await readJson(req);
    const collection = account.database(dbId).collection(collId);
    const collectionData = collection.read();
    if (!collectionData) return notFound(res);
    if (!body || typeof body !== "object" || !body.id) return badRequest(res, "missing id");
    const key = headerPartitionKey(req);
    if (key !== undefined && valueAt(partitionPath(collectionData), body) !== key) {
      return badRequest(res, "PartitionKey extracted from document doesn't match the one specified in the header.");
    }
    const partitionKey = key === undefined ? JSON.stringify([valueAt(partitionPath(collectionData), body)]) : rawPartitionHeader(req);
    const input = { partitionKey, ifMatch: req.headers["if-match"], resourceBody: body };
    let result;
    if (kind === "create") {
      result = ops.createOperation(collection, input);
    } else if (kind === "upsert") {
      result = ops.upsertOperation(collection, input);
    } else {
      if (docId !== body.id) return badRequest(res, "The id in the URL does not match the id of the document.");
      result = ops.replaceOperation(collection, input);
    }
    res.statusCode = result.statusCode;
    return result.statusCode >= 400 && !result.body.code ? { code: String(result.statusCode), message: "", ...result.body } : result.body;
  };
}
patch("create-document", checkedWrite("create"));
patch("upsert-document", checkedWrite("upsert"));
patch("replace-document", checkedWrite("replace"));

// Deletes into a missing container: 404.
patch("delete-document", (original, account, req, res, params) => {
  const collection = account.database(params.dbId).collection(params.collId);
  if (!collection.read()) return notFound(res);
  return original(account, req, res, params);
});

// Queries: answer the query-plan request; run the query over the partition named by the header (or all of them).
const cosmosQuery = require(require.resolve("@zeit/cosmosdb-query", { paths: [lib] })).default;
const queryCache = new Map();
function compiled(sql) {
  let q = queryCache.get(sql);
  if (!q) {
    q = cosmosQuery(sql);
    if (queryCache.size > 200) queryCache.clear();
    queryCache.set(sql, q);
  }
  return q;
}

const readItems = load("handler/_read-items").default;

patch("query-documents", async (original, account, req, res, { dbId, collId }) => {
  const body = await readJson(req);
  if (trueHeader(req, "x-ms-cosmos-is-query-plan-request")) {
    if (!body || !body.query) return badRequest(res, "missing query");
    // The server's parser has no OFFSET ... LIMIT: hand that part to the SDK (it skips and takes client-side over
    // the ordered pages of the rewritten query, as it does for cross-partition queries on Cosmos DB).
    let offset = null;
    let limit = null;
    let rewrittenQuery = "";
    const match = /\s+OFFSET\s+(\d+|@\w+)\s+LIMIT\s+(\d+|@\w+)\s*$/i.exec(body.query);
    if (match) {
      const value = token => {
        if (/^\d+$/.test(token)) return parseInt(token, 10);
        const parameter = (body.parameters || []).find(p => p.name === token);
        return parameter && Number.isInteger(parameter.value) ? parameter.value : NaN;
      };
      [offset, limit] = [value(match[1]), value(match[2])];
      if (!Number.isInteger(offset) || !Number.isInteger(limit)) return badRequest(res, "OFFSET and LIMIT need integer values");
      rewrittenQuery = body.query.slice(0, match.index);
    }
    return {
      partitionedQueryExecutionInfoVersion: 2,
      queryInfo: {
        distinctType: "None",
        top: null,
        offset,
        limit,
        orderBy: [],
        orderByExpressions: [],
        groupByExpressions: [],
        groupByAliases: [],
        aggregates: [],
        groupByAliasToAggregateType: {},
        rewrittenQuery,
        hasSelectValue: false,
        dCountInfo: null,
        hasNonStreamingOrderBy: false
      },
      queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]
    };
  }
  return readItems(req, res, "Documents", async ({ continuation, maxItemCount }) => {
    if (!body || !body.query) {
      res.statusCode = 400;
      return { message: "missing query" };
    }
    const collection = account.database(dbId).collection(collId);
    const collectionData = collection.read();
    if (!collectionData) return null;
    let data = allDocuments(collection);
    const key = headerPartitionKey(req);
    if (key !== undefined) {
      const keys = partitionPath(collectionData);
      data = data.filter(d => valueAt(keys, d) === key);
    }
    data.sort(byRid);
    try {
      return compiled(body.query).exec(data, {
        parameters: body.parameters,
        udf: collection.userDefinedFunctions.functions,
        maxItemCount,
        continuation,
        compositeIndexes: (collectionData.indexingPolicy || {}).compositeIndexes || []
      });
    } catch (err) {
      if (err instanceof Error && !(err instanceof TypeError)) {
        res.statusCode = 400;
        return { code: "BadRequest", message: err.message };
      }
      throw err;
    }
  });
});

// Change feed (GET docs with A-IM: Incremental feed); plain "read feed" of documents otherwise.
const etagOf = lsn => `"${lsn}"`;
function parseSince(req) {
  let value = req.headers["if-none-match"];
  if (Array.isArray(value)) [value] = value;
  if (!value) return 0;
  if (value === "*") return sequence;
  const number = parseInt(String(value).replace(/^W\//, "").replace(/"/g, ""), 10);
  return Number.isFinite(number) ? number : 0;
}

patch("read-documents", (original, account, req, res, params) => {
  if (!req.headers["a-im"]) return original(account, req, res, params);
  // Handled here: keep the generic response code from overriding the status and the ETag.
  delete req.headers["a-im"];
  const collection = account.database(params.dbId).collection(params.collId);
  const collectionData = collection.read();
  if (!collectionData) return notFound(res);
  const since = parseSince(req);
  let data = allDocuments(collection).filter(d => d._lsn > since);
  // ChangeFeedStartFrom.Time(...): the first read carries If-Modified-Since instead of a continuation.
  const modifiedSince = !req.headers["if-none-match"] && req.headers["if-modified-since"] ? Date.parse(req.headers["if-modified-since"]) : NaN;
  if (Number.isFinite(modifiedSince)) data = data.filter(d => d._ts * 1000 >= modifiedSince);
  const key = headerPartitionKey(req);
  if (key !== undefined) {
    const keys = partitionPath(collectionData);
    data = data.filter(d => valueAt(keys, d) === key);
  }
  data.sort((a, b) => a._lsn - b._lsn);
  const max = parseInt(req.headers["x-ms-max-item-count"], 10);
  if (max > 0 && data.length > max) data = data.slice(0, max);
  const last = data.length ? data[data.length - 1]._lsn : since;
  res.setHeader("etag", etagOf(last));
  res.setHeader("x-ms-item-count", String(data.length));
  if (!data.length) {
    res.statusCode = 304;
    return {};
  }
  res.statusCode = 200;
  return { _rid: collectionData._rid, Documents: data, _count: data.length };
});

// ---- the server ------------------------------------------------------------------------------------------------

const { createHttpsServer } = load("index");
const server = createHttpsServer({
  cert: fs.readFileSync(args.cert),
  key: fs.readFileSync(args.key),
  keepAlive: true
});
server.keepAliveTimeout = 120000;
server.headersTimeout = 125000;

server.listen(args.port, args.host, () => {
  const { port } = server.address();
  process.stdout.write(`cosmos-server listening on https://${args.host}:${port}/\n`);
});

const stop = () => {
  server.close();
  server.closeAllConnections && server.closeAllConnections();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// The parent (test host) holds our stdin: when it goes away, so do we.
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();

if (!args.quiet) {
  const log = console.error;
  // The library logs handler exceptions with console.error; keep them, they explain 500s.
  console.error = (...items) => log("[cosmos-server]", ...items);
}
