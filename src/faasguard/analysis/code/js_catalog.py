"""What Node.js and common Lambda libraries do with data: the JavaScript / TypeScript catalog.

Keys are qualified names as imports spell them: the package (or Node module, without `node:`)
then the member path, "child_process.exec", "@aws-sdk/client-dynamodb.ExecuteStatementCommand",
"fs.promises.readFile"; or a type tag plus a method ("sql.client.query", "express.response.send").
A key "<tag>.*" describes every other method of a tagged type (chained builders: knex, Joi, zod).
Default imports of packages are the package itself (`import axios from "axios"` is "axios").

JavaScript passes options as object literals: selectors read their properties from the call's
argument expressions (`{ shell: true }`, `{ Statement: ... }`); the front inlines a `const`
object a call names, so `client.send(new QueryCommand(params))` is read the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from faasguard.analysis.code import catalog as c
from faasguard.analysis.code import ir
from faasguard.analysis.code.values import CONTAINED, EMBEDDED, NOCONST, RAW, V

ALL = frozenset({"*"})

# Modules whose presence makes `.query(...)` / `.execute(...)` a SQL call.
SQL_MODULES = frozenset(
    {
        "mysql",
        "mysql2",
        "mysql2/promise",
        "pg",
        "pg-promise",
        "postgres",
        "knex",
        "sequelize",
        "mssql",
        "tedious",
        "oracledb",
        "sqlite3",
        "sqlite",
        "better-sqlite3",
        "serverless-mysql",
        "serverless-postgres",
        "typeorm",
        "@prisma/client",
        "slonik",
        "data-api-client",
        "@aws-sdk/client-rds-data",
        "kysely",
        "drizzle-orm",
        "pg-pool",
        "mariadb",
        "snowflake-sdk",
        "@databricks/sql",
        "duckdb",
        "@neondatabase/serverless",
        "@planetscale/database",
        "@vercel/postgres",
    }
)
MONGO_MODULES = frozenset({"mongodb", "mongoose", "mongojs", "monk", "@typegoose/typegoose"})

_SHELLS = frozenset(
    {
        "sh",
        "bash",
        "zsh",
        "dash",
        "ksh",
        "/bin/sh",
        "/bin/bash",
        "/usr/bin/bash",
        "/bin/zsh",
        "cmd",
        "cmd.exe",
        "powershell",
        "pwsh",
    }
)

# --- helpers -------------------------------------------------------------------------------------


def _is_noconst(v: object) -> bool:
    return v is NOCONST


def _prop(expr: ir.Expr | None, key: str) -> ir.Expr | None:
    """A property of an object literal argument."""
    if isinstance(expr, ir.Coll) and expr.keys is not None:
        return expr.get(key)
    return None


def _option(view: c.CallView, key: str) -> ir.Expr | None:
    """The value of `key` in any object-literal argument of the call."""
    for a in view.call.args:
        if isinstance(a, ir.Coll) and a.keys is not None:
            found = a.get(key)
            if found is not None:
                return found
    return None


def _truthy(expr: ir.Expr | None) -> bool:
    if expr is None:
        return False
    if isinstance(expr, ir.Const):
        return bool(expr.value)
    return not isinstance(expr, ir.Unknown)  # a variable: assume it may be on


def _strings(v: V) -> V:
    """The parts of a value that can be text (not a container the program built)."""
    return V(frozenset(a for a in v.atoms if a.shape != CONTAINED))


def _text(v: V) -> V:
    """Text the program built or received whole (RAW / EMBEDDED)."""
    return V(frozenset(a for a in v.atoms if a.shape in (RAW, EMBEDDED)))


def args(*where: int) -> c.Selector:
    def select(view: c.CallView) -> list[V]:
        out: list[V] = []
        for w in where:
            v = view.arg(w)
            if v is not None:
                out.append(v)
        return out

    return select


def all_args(view: c.CallView) -> list[V]:
    return [view.arg(i) or V() for i in range(len(view.call.args))] + (
        [view.arg(len(view.call.args))] if False else []
    )


def rest_from(pos: int) -> c.Selector:
    def select(view: c.CallView) -> list[V]:
        out: list[V] = []
        for i in range(pos, len(view.call.args)):
            v = view.arg(i)
            if v is not None:
                out.append(v)
        return out

    return select


def text_arg(pos: int) -> c.Selector:
    """A string argument (a function passed there is a callback, not code)."""

    def select(view: c.CallView) -> list[V]:
        v = view.arg(pos)
        return [_text(v)] if v is not None else []

    return select


def prop_of(pos: int, *keys: str, whole: bool = False) -> c.Selector:
    """Properties of an object-literal argument; with `whole`, a non-literal argument itself."""

    def select(view: c.CallView) -> list[V]:
        expr = view.arg_expr(pos)
        out: list[V] = []
        if isinstance(expr, ir.Coll) and expr.keys is not None:
            for k in keys:
                found = expr.get(k)
                if found is not None:
                    out.append(view.value(found))
            return out
        if whole:
            v = view.arg(pos)
            if v is not None:
                out.append(_text(v))
        return out

    return select


# --- sink selectors --------------------------------------------------------------------------------


def _spawn(view: c.CallView) -> list[V]:
    """spawn / execFile: a program and an argv; only `shell: true` makes it a command line."""
    prog = view.arg(0)
    if prog is None:
        return []
    argv = view.arg_expr(1)
    shell = _truthy(_option(view, "shell"))
    if shell:
        out = [_strings(prog)]
        if isinstance(argv, ir.Coll) and argv.keys is None:
            out.extend(_strings(view.value(x)) for x in argv.items)
        return out
    first = view.arg_expr(0)
    if isinstance(first, ir.Const) and first.value in _SHELLS and isinstance(argv, ir.Coll):
        items = list(argv.items)
        for i, x in enumerate(items):
            if isinstance(x, ir.Const) and x.value in ("-c", "/c", "/C", "-Command"):
                return [_strings(view.value(y)) for y in items[i + 1 :]]
        return []
    whole = frozenset(a for a in prog.atoms if a.shape == RAW)  # the caller picks the program
    return [V(whole)] if whole else []


def _shell_string(view: c.CallView) -> list[V]:
    v = view.arg(0)
    return [_strings(v)] if v is not None else []


def _timer(view: c.CallView) -> list[V]:
    """setTimeout("code", ms): a string is evaluated; a function is a callback."""
    v = view.arg(0)
    return [_text(v)] if v is not None else []


def _js_yaml(view: c.CallView) -> list[V]:
    schema = _option(view, "schema")
    name = _expr_name(schema) if schema is not None else ""
    if "FULL" not in name.upper() and "js/function" not in name:
        return []
    v = view.arg(0)
    return [v] if v is not None else []


def _expr_name(e: ir.Expr) -> str:
    parts: list[str] = []
    while isinstance(e, ir.Attr):
        parts.append(e.name)
        e = e.obj
    if isinstance(e, ir.Name):
        parts.append(e.id)
    return ".".join(reversed(parts))


def _serialize_unsafe(view: c.CallView) -> list[V]:
    if not _truthy(_option(view, "unsafe")):
        return []
    v = view.arg(0)
    return [v] if v is not None else []


def _sql_text(view: c.CallView) -> list[V]:
    """A query as text: `query(sql, params)` or `query({ text, values })` / `{ sql }`."""
    expr = view.arg_expr(0)
    if isinstance(expr, ir.Coll) and expr.keys is not None:
        found = expr.get("text") or expr.get("sql") or expr.get("query")
        return [_text(view.value(found))] if found is not None else []
    v = view.arg(0)
    return [_text(v)] if v is not None else []


def _sql_method(view: c.CallView) -> list[V]:
    """`.query(...)` on an untyped receiver: a SQL call only in a module that uses a SQL client."""
    if not view.flags.get("sql_module"):
        return []
    return _sql_text(view)


def _partiql(view: c.CallView) -> list[V]:
    expr = view.arg_expr(0)
    if not (isinstance(expr, ir.Coll) and expr.keys is not None):
        return []
    out: list[V] = []
    found = expr.get("Statement")
    if found is not None:
        out.append(_text(view.value(found)))
    for key in ("Statements", "TransactStatements"):
        many = expr.get(key)
        if isinstance(many, ir.Coll) and many.keys is None:
            for item in many.items:
                st = _prop(item, "Statement")
                if st is not None:
                    out.append(_text(view.value(st)))
    return out


def _rds_data(view: c.CallView) -> list[V]:
    return [_text(v) for v in prop_of(0, "sql", "Sql", "QueryString", "QueryStatement")(view)]


_DDB_EXPRESSIONS = (
    "FilterExpression",
    "KeyConditionExpression",
    "ConditionExpression",
    "ProjectionExpression",
    "UpdateExpression",
)


def _ddb_expression(view: c.CallView) -> list[V]:
    expr = view.arg_expr(0)
    if not (isinstance(expr, ir.Coll) and expr.keys is not None):
        return []
    out: list[V] = []
    for key in _DDB_EXPRESSIONS:
        found = expr.get(key)
        if found is not None:
            v = _text(view.value(found))
            if v.atoms:
                out.append(v)
    for key in ("ScanFilter", "QueryFilter", "KeyConditions", "ExpressionAttributeNames"):
        found = expr.get(key)
        if found is not None and not isinstance(found, ir.Coll):
            whole = frozenset(a for a in view.value(found).atoms if a.shape == RAW)
            if whole:
                out.append(V(whole))
    return out


def _mongo(fallback: bool = False) -> c.Selector:
    def select(view: c.CallView) -> list[V]:
        if fallback and not view.flags.get("mongo_module"):
            return []
        v = view.arg(0)
        if v is None or isinstance(view.arg_expr(0), (ir.FuncRef, ir.Const)):
            return []
        return [v]

    return select


def _url_arg(pos: int = 0) -> c.Selector:
    """A URL argument, or the `url` / `baseURL` / `uri` of an options object there."""

    def select(view: c.CallView) -> list[V]:
        expr = view.arg_expr(pos)
        if isinstance(expr, ir.Coll) and expr.keys is not None:
            out = []
            for key in ("url", "uri", "baseURL", "prefixUrl", "host", "hostname"):
                found = expr.get(key)
                if found is not None:
                    out.append(view.value(found))
            return out
        v = view.arg(pos)
        return [v] if v is not None else []

    return select


def _http_request(view: c.CallView) -> list[V]:
    """http(s).get / request: a URL string, or options with `host` / `hostname` / `path`."""
    expr = view.arg_expr(0)
    if isinstance(expr, ir.Coll) and expr.keys is not None:
        out = []
        for key in ("host", "hostname"):
            found = expr.get(key)
            if found is not None:
                out.append(view.value(found))
        return out
    v = view.arg(0)
    return [v] if v is not None else []


def _send_file(view: c.CallView) -> list[V]:
    """res.sendFile(path, { root }): with a root, Express refuses paths that leave it."""
    if _option(view, "root") is not None:
        return []
    v = view.arg(0)
    return [v] if v is not None else []


def _libxml(view: c.CallView) -> list[V]:
    if not _truthy(_option(view, "noent")):
        return []
    v = view.arg(0)
    return [v] if v is not None else []


def _cors_header(view: c.CallView) -> list[V]:
    name = view.const(0)
    if isinstance(name, str) and name.lower() == "access-control-allow-origin":
        v = view.arg(1)
        return [v] if v is not None else []
    return []


def _html_send(view: c.CallView) -> list[V]:
    """res.send(text): Express answers a string as text/html."""
    v = view.arg(0)
    return [_strings(v)] if v is not None else []


def _set_path(pos: int) -> c.Selector:
    """`_.set(obj, path, value)`: a caller-chosen path like "__proto__.isAdmin"."""

    def select(view: c.CallView) -> list[V]:
        v = view.arg(pos)
        return [_strings(v)] if v is not None else []

    return select


def _logger_call(view: c.CallView) -> list[V]:
    recv = view.call.func.obj if isinstance(view.call.func, ir.Attr) else None
    name = _expr_name(recv).lower() if recv is not None else ""
    if "log" not in name:
        return []
    return [view.arg(i) or V() for i in range(len(view.call.args))]


def _log_all(view: c.CallView) -> list[V]:
    return [view.arg(i) or V() for i in range(len(view.call.args))]


# --- return tags -------------------------------------------------------------------------------


def _axios_create(view: c.CallView) -> str | None:
    base = _prop(view.arg_expr(0), "baseURL") or _prop(view.arg_expr(0), "prefixUrl")
    if base is not None and not view.value(base).atoms:
        return "http.based"  # requests go to a host the code fixes
    return "http.client"


# --- the tables --------------------------------------------------------------------------------------


def _sink(
    family: str,
    select: c.Selector,
    label: str,
    confidence: str = "high",
    structured: bool = False,
    returns: str | None = None,
    sanitise: frozenset[str] = frozenset(),
) -> c.CallSpec:
    return c.CallSpec(
        sinks=(c.Sink(family, select, label, confidence, structured),), returns=returns, sanitise=sanitise
    )


def _each(names: Iterable[str], spec: c.CallSpec, calls: dict[str, c.CallSpec]) -> None:
    for n in names:
        calls[n] = spec


_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")


def _build_calls() -> dict[str, c.CallSpec]:
    calls: dict[str, c.CallSpec] = {}
    first = args(0)
    run_cb_last = c.CallSpec()  # placeholder for readability

    # OS commands ---------------------------------------------------------------------------
    for mod in ("child_process", "child-process-promise", "child_process-promise"):
        for fn in ("exec", "execSync"):
            calls[f"{mod}.{fn}"] = _sink(c.COMMAND, _shell_string, f"child_process.{fn}()")
        for fn in ("spawn", "spawnSync", "execFile", "execFileSync", "fork"):
            calls[f"{mod}.{fn}"] = _sink(c.COMMAND, _spawn, f"child_process.{fn}()")
    calls["cross-spawn"] = _sink(c.COMMAND, _spawn, "cross-spawn()")
    calls["cross-spawn.sync"] = calls["cross-spawn"]
    calls["shelljs.exec"] = _sink(c.COMMAND, _shell_string, "shelljs.exec()")
    calls["execa"] = _sink(c.COMMAND, _spawn, "execa()")
    calls["execa.execa"] = calls["execa"]
    calls["execa.sync"] = calls["execa"]
    calls["execa.execaSync"] = calls["execa"]
    for name in ("execa.command", "execa.commandSync", "execa.execaCommand", "execa.execaCommandSync"):
        calls[name] = _sink(c.COMMAND, _shell_string, "execa.command()", "medium")
    del run_cb_last

    # Code evaluation ---------------------------------------------------------------------------
    calls["eval"] = _sink(c.CODE, text_arg(0), "eval()")
    calls["Function"] = _sink(c.CODE, rest_from(0), "Function()")
    for name in ("setTimeout", "setInterval", "setImmediate"):
        calls[name] = c.CallSpec(
            sinks=(c.Sink(c.CODE, _timer, f"{name}() with a string"),), callback=(0, None, "none")
        )
    calls["require"] = _sink(c.CODE, text_arg(0), "require() of a caller-chosen module")
    for fn in ("runInThisContext", "runInNewContext", "runInContext", "compileFunction", "Script"):
        calls[f"vm.{fn}"] = _sink(c.CODE, text_arg(0), f"vm.{fn}()")
    calls["vm.SourceTextModule"] = _sink(c.CODE, text_arg(0), "vm.SourceTextModule()")
    calls["vm.Script.runInThisContext"] = c.CallSpec()
    calls["vm2.VM"] = c.CallSpec(returns="vm2.vm", opaque=True)
    calls["vm2.NodeVM"] = calls["vm2.VM"]
    calls["vm2.vm.run"] = _sink(c.CODE, text_arg(0), "vm2 run() (sandbox escapes are known)", "medium")
    calls["safe-eval"] = _sink(c.CODE, text_arg(0), "safe-eval()")
    calls["notevil"] = _sink(c.CODE, text_arg(0), "notevil()", "medium")
    # Templates compiled from request text: server-side template injection.
    for name in (
        "ejs.render",
        "ejs.compile",
        "pug.render",
        "pug.compile",
        "jade.render",
        "jade.compile",
        "handlebars.compile",
        "handlebars.precompile",
        "nunjucks.renderString",
        "lodash.template",
        "underscore.template",
        "dot.template",
        "dot.compile",
        "eta.render",
        "squirrelly.render",
        "hogan.js.compile",
        "velocityjs.render",
        "art-template.render",
    ):
        calls[name] = _sink(c.CODE, text_arg(0), f"{name}() (template injection)")
    calls["lodash/template"] = calls["lodash.template"]

    # Deserialisation -------------------------------------------------------------------------------
    for name, label in (
        ("node-serialize.unserialize", "node-serialize unserialize()"),
        ("serialize-to-js.deserialize", "serialize-to-js deserialize()"),
        ("funcster.deepDeserialize", "funcster deepDeserialize()"),
        ("funcster.deserialize", "funcster deserialize()"),
        ("cryo.parse", "cryo.parse()"),
        ("js-yaml.unsafeLoad", "js-yaml unsafeLoad()"),
        ("js-yaml.unsafeLoadAll", "js-yaml unsafeLoadAll()"),
    ):
        calls[name] = _sink(c.DESERIALISE, first, label)
    for name in ("js-yaml.load", "js-yaml.loadAll", "js-yaml.safeLoad"):
        calls[name] = _sink(c.DESERIALISE, _js_yaml, "js-yaml load() with the full schema")
    calls["serialize-javascript"] = _sink(
        c.XSS, _serialize_unsafe, "serialize-javascript(unsafe: true) output", "medium"
    )

    # SQL -----------------------------------------------------------------------------------------------
    sql_client = c.CallSpec(returns="sql.client", opaque=True)
    for name in (
        "mysql.createConnection",
        "mysql.createPool",
        "mysql.createPoolCluster",
        "mysql2.createConnection",
        "mysql2.createPool",
        "mysql2/promise.createConnection",
        "mysql2/promise.createPool",
        "mariadb.createConnection",
        "mariadb.createPool",
        "pg.Pool",
        "pg.Client",
        "pg.native.Pool",
        "pg.native.Client",
        "pg-pool",
        "mssql.connect",
        "mssql.ConnectionPool",
        "mssql.Request",
        "oracledb.getConnection",
        "oracledb.createPool",
        "sqlite3.Database",
        "sqlite.open",
        "better-sqlite3",
        "serverless-mysql",
        "serverless-postgres",
        "pg-promise",
        "@neondatabase/serverless.Pool",
        "@neondatabase/serverless.Client",
        "snowflake-sdk.createConnection",
        "duckdb.Database",
        "typeorm.DataSource",
        "typeorm.createConnection",
        "typeorm.getConnection",
        "typeorm.getManager",
    ):
        calls[name] = sql_client
    calls["sql.client.*"] = c.CallSpec(returns="sql.client")  # getConnection(), promise(), connect()...
    for m in (
        "query",
        "execute",
        "exec",
        "run",
        "all",
        "get",
        "each",
        "prepare",
        "none",
        "one",
        "many",
        "any",
    ):
        calls[f"sql.client.{m}"] = c.CallSpec(
            sinks=(c.Sink(c.SQL, _sql_text, f"{m}() with a built query"),), returns="sql.client"
        )
    for m in ("escape", "escapeId", "format"):
        calls[f"sql.client.{m}"] = c.CallSpec(sanitise=frozenset({c.SQL}))
    for name in (
        "mysql.escape",
        "mysql.escapeId",
        "mysql.format",
        "mysql2.escape",
        "mysql2.escapeId",
        "mysql2.format",
        "sqlstring.escape",
        "sqlstring.escapeId",
        "sqlstring.format",
        "pg-format",
        "pg.escapeLiteral",
        "pg.escapeIdentifier",
    ):
        calls[name] = c.CallSpec(sanitise=frozenset({c.SQL}))
    # knex and query builders
    calls["knex"] = c.CallSpec(returns="knex", opaque=True)
    calls["knex.knex"] = calls["knex"]
    calls["knex.__call__"] = c.CallSpec(returns="knex.query", opaque=True)
    calls["knex.*"] = c.CallSpec(returns="knex.query")
    calls["knex.query.*"] = c.CallSpec(returns="knex.query")
    raws = (
        "raw",
        "whereRaw",
        "orWhereRaw",
        "andWhereRaw",
        "havingRaw",
        "orHavingRaw",
        "orderByRaw",
        "groupByRaw",
        "joinRaw",
        "fromRaw",
        "selectRaw",
        "onRaw",
    )
    for m in raws:
        spec = c.CallSpec(sinks=(c.Sink(c.SQL, _sql_text, f"knex {m}()"),), returns="knex.query")
        calls[f"knex.{m}"] = spec
        calls[f"knex.query.{m}"] = spec
    # Sequelize
    calls["sequelize"] = c.CallSpec(returns="sequelize", opaque=True)
    calls["sequelize.Sequelize"] = calls["sequelize"]
    calls["sequelize.query"] = _sink(c.SQL, _sql_text, "sequelize.query()")
    for name in ("sequelize.literal", "sequelize.Sequelize.literal", "sequelize.Sequelize.query"):
        calls[name] = _sink(c.SQL, text_arg(0), name.rsplit(".", 1)[-1] + "()")
    calls["sequelize.escape"] = c.CallSpec(sanitise=frozenset({c.SQL}))
    # postgres.js / slonik tagged templates are parameterised; their `unsafe` is not.
    calls["postgres"] = c.CallSpec(returns="sql.tagged", opaque=True)
    calls["sql.tagged.__call__"] = c.CallSpec(opaque=True)
    calls["sql.tagged.unsafe"] = _sink(c.SQL, text_arg(0), "sql.unsafe()")
    # AWS RDS Data API, Athena, Redshift Data
    for name in (
        "@aws-sdk/client-rds-data.ExecuteStatementCommand",
        "@aws-sdk/client-rds-data.BatchExecuteStatementCommand",
        "@aws-sdk/client-redshift-data.ExecuteStatementCommand",
        "@aws-sdk/client-athena.StartQueryExecutionCommand",
    ):
        calls[name] = _sink(c.SQL, _rds_data, name.rsplit(".", 1)[-1] + " (SQL)")

    # DynamoDB: PartiQL and expression strings --------------------------------------------------
    for pkg in ("@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb"):
        for cmd in ("ExecuteStatementCommand", "BatchExecuteStatementCommand", "ExecuteTransactionCommand"):
            calls[f"{pkg}.{cmd}"] = _sink(c.SQL, _partiql, f"{cmd} (PartiQL)")
        for cmd in ("QueryCommand", "ScanCommand"):
            calls[f"{pkg}.{cmd}"] = c.CallSpec(
                sinks=(c.Sink(c.NOSQL, _ddb_expression, f"{cmd} expression"),), source="a DynamoDB item"
            )
        for cmd in (
            "UpdateItemCommand",
            "UpdateCommand",
            "DeleteItemCommand",
            "DeleteCommand",
            "PutItemCommand",
            "PutCommand",
        ):
            calls[f"{pkg}.{cmd}"] = _sink(c.NOSQL, _ddb_expression, f"{cmd} expression")
        for cmd in ("GetItemCommand", "GetCommand", "BatchGetItemCommand", "BatchGetCommand"):
            calls[f"{pkg}.{cmd}"] = c.CallSpec(
                sinks=(c.Sink(c.NOSQL, _ddb_expression, f"{cmd} expression"),), source="a DynamoDB item"
            )
    ddb = c.CallSpec(returns="aws.dynamodb", opaque=True)
    for name in (
        "aws-sdk.DynamoDB.DocumentClient",
        "aws-sdk.DynamoDB",
        "aws-sdk/clients/dynamodb.DocumentClient",
        "aws-sdk/clients/dynamodb",
        "@aws-sdk/client-dynamodb.DynamoDB",
        "@aws-sdk/lib-dynamodb.DynamoDBDocument.from",
    ):
        calls[name] = ddb
    for m in ("executeStatement", "batchExecuteStatement", "executeTransaction"):
        calls[f"aws.dynamodb.{m}"] = _sink(c.SQL, _partiql, f"{m}() (PartiQL)")
    for m in ("query", "scan"):
        calls[f"aws.dynamodb.{m}"] = c.CallSpec(
            sinks=(c.Sink(c.NOSQL, _ddb_expression, f"{m}() expression"),), source="a DynamoDB item"
        )
    for m in ("get", "getItem", "batchGet", "batchGetItem"):
        calls[f"aws.dynamodb.{m}"] = c.CallSpec(source="a DynamoDB item")
    for m in ("update", "updateItem", "delete", "deleteItem", "put", "putItem"):
        calls[f"aws.dynamodb.{m}"] = _sink(c.NOSQL, _ddb_expression, f"{m}() expression")

    # MongoDB / Mongoose -------------------------------------------------------------------------------
    calls["mongodb.MongoClient"] = c.CallSpec(returns="mongo.client", opaque=True)
    calls["mongodb.MongoClient.connect"] = calls["mongodb.MongoClient"]
    calls["mongo.client.*"] = c.CallSpec(returns="mongo.client", opaque=True)
    calls["mongo.client.db"] = c.CallSpec(returns="mongo.db", opaque=True)
    calls["mongo.db.collection"] = c.CallSpec(returns="mongo.collection", opaque=True)
    calls["mongoose.model"] = c.CallSpec(returns="mongo.collection", opaque=True)
    calls["mongoose.connection.collection"] = calls["mongo.db.collection"]
    for m in _MONGO_QUERIES:
        spec = c.CallSpec(
            sinks=(c.Sink(c.NOSQL, _mongo(), f"{m}() (MongoDB query)", structured=True),),
            source="a MongoDB document",
        )
        calls[f"mongo.collection.{m}"] = spec
    calls["mongo.collection.*"] = c.CallSpec()

    # File paths ---------------------------------------------------------------------------------------
    fs_first = (
        "readFile",
        "readFileSync",
        "writeFile",
        "writeFileSync",
        "appendFile",
        "appendFileSync",
        "createReadStream",
        "createWriteStream",
        "unlink",
        "unlinkSync",
        "rm",
        "rmSync",
        "rmdir",
        "rmdirSync",
        "readdir",
        "readdirSync",
        "mkdir",
        "mkdirSync",
        "open",
        "openSync",
        "truncate",
        "truncateSync",
        "chmod",
        "chmodSync",
        "readJson",
        "readJsonSync",
        "outputFile",
        "outputFileSync",
        "outputJson",
        "writeJson",
        "remove",
        "removeSync",
        "emptyDir",
        "ensureFile",
    )
    fs_both = (
        "copyFile",
        "copyFileSync",
        "rename",
        "renameSync",
        "copy",
        "copySync",
        "move",
        "moveSync",
        "cp",
    )
    reads = (
        "readFile",
        "readFileSync",
        "createReadStream",
        "readdir",
        "readdirSync",
        "readJson",
        "readJsonSync",
    )
    for mod in ("fs", "fs.promises", "fs/promises", "fs-extra", "graceful-fs", "mz/fs"):
        for fn in fs_first:
            # What a read returns is the file's content, not the caller's path.
            calls[f"{mod}.{fn}"] = _sink(
                c.PATH, first, f"fs.{fn}()", sanitise=ALL if fn in reads else frozenset()
            )
        for fn in fs_both:
            calls[f"{mod}.{fn}"] = _sink(c.PATH, args(0, 1), f"fs.{fn}()")
    calls["path.basename"] = c.CallSpec(sanitise=frozenset({c.PATH}))
    calls["sanitize-filename"] = c.CallSpec(sanitise=frozenset({c.PATH}))
    for name in (
        "path.resolve",
        "path.normalize",
        "path.posix.resolve",
        "fs.realpathSync",
        "fs.promises.realpath",
    ):
        calls[name] = c.CallSpec(returns="path.resolved")

    # Outbound requests (SSRF); their responses are second-order data -------------------------
    url_first = _url_arg()

    def http(label: str, select: c.Selector = url_first) -> c.CallSpec:
        return c.CallSpec(sinks=(c.Sink(c.SSRF, select, label),), source="a third-party HTTP response")

    for lib in (
        "axios",
        "got",
        "superagent",
        "needle",
        "request",
        "request-promise",
        "request-promise-native",
    ):
        calls[lib] = http(f"{lib}()")
        for m in (*_HTTP_VERBS, "stream", "del"):
            calls[f"{lib}.{m}"] = http(f"{lib}.{m}()")
    calls["needle"] = http("needle()", _url_arg(1))
    calls["needle.request"] = http("needle.request()", _url_arg(1))
    calls["axios.create"] = c.CallSpec(returns=_axios_create, opaque=True)
    calls["got.extend"] = c.CallSpec(returns=_axios_create, opaque=True)
    for m in (*_HTTP_VERBS, "stream", "del"):
        calls[f"http.client.{m}"] = http(f"{m}()")
        calls[f"http.based.{m}"] = c.CallSpec(source="a third-party HTTP response")
    calls["http.client.__call__"] = http("an HTTP client")
    calls["http.based.__call__"] = c.CallSpec(source="a third-party HTTP response")
    for name in ("fetch", "node-fetch", "cross-fetch", "isomorphic-fetch", "undici.fetch", "undici.request"):
        calls[name] = http(f"{name}()")
    calls["node-fetch.default"] = calls["node-fetch"]
    calls["undici.Pool"] = c.CallSpec(returns="http.client", opaque=True)
    for mod in ("http", "https"):
        for m in ("get", "request"):
            calls[f"{mod}.{m}"] = c.CallSpec(
                sinks=(c.Sink(c.SSRF, _http_request, f"{mod}.{m}()"),),
                callback=(None, None, "none"),
                source="a third-party HTTP response",
            )
    calls["net.connect"] = _sink(c.SSRF, prop_of(0, "host", whole=False), "net.connect()")
    calls["net.createConnection"] = calls["net.connect"]

    # HTML responses, CORS, leaks (Express responses) ----------------------------------------------
    for m in ("send", "write", "end"):
        calls[f"express.response.{m}"] = c.CallSpec(
            sinks=(
                c.Sink(c.XSS, _html_send, f"res.{m}() (text/html)"),
                c.Sink(c.LEAK, first, f"res.{m}()"),
            ),
            returns="express.response",
        )
    for m in ("json", "jsonp"):
        calls[f"express.response.{m}"] = c.CallSpec(
            sinks=(c.Sink(c.LEAK, first, f"res.{m}()"),), returns="express.response"
        )
    for m in ("set", "header", "setHeader", "append"):
        calls[f"express.response.{m}"] = c.CallSpec(
            sinks=(c.Sink(c.CORS, _cors_header, "the Access-Control-Allow-Origin header"),),
            returns="express.response",
        )
    calls["express.response.sendFile"] = _sink(
        c.PATH, _send_file, "res.sendFile()", returns="express.response"
    )
    calls["express.response.download"] = _sink(
        c.PATH, _send_file, "res.download()", returns="express.response"
    )
    calls["express.response.*"] = c.CallSpec(returns="express.response", opaque=True)

    # XML parsers that substitute entities ----------------------------------------------------------
    for mod in ("libxmljs", "libxmljs2"):
        for fn in ("parseXml", "parseXmlString", "parseXmlAsync", "parseHtml", "parseHtmlString"):
            calls[f"{mod}.{fn}"] = _sink(c.XXE, _libxml, f"libxmljs.{fn}(noent: true)")
        calls[f"{mod}.Document.fromXml"] = _sink(c.XXE, _libxml, "libxmljs Document.fromXml(noent: true)")

    # Prototype pollution: deep merges and path setters -----------------------------------------
    merge_label = "{}() (deep merge)"
    for name in (
        "lodash.merge",
        "lodash.mergeWith",
        "lodash.defaultsDeep",
        "lodash/merge",
        "lodash/mergeWith",
        "lodash/defaultsDeep",
        "lodash.defaultsdeep",
        "lodash.mergewith",
        "merge-deep",
        "mixin-deep",
        "deep-extend",
        "defaults-deep",
        "merge.recursive",
        "assign-deep",
        "deep-assign",
        "merge-options",
        "@hapi/hoek.applyToDefaults",
    ):
        calls[name] = _sink(c.PROTO, rest_from(1), merge_label.format(name), structured=True)
    for name in ("extend", "jquery.extend", "node.extend"):  # extend(true, target, source)
        calls[name] = _sink(c.PROTO, rest_from(2), merge_label.format(name), structured=True)
    for name in (
        "lodash.set",
        "lodash.setWith",
        "lodash/set",
        "lodash/setWith",
        "object-path.set",
        "dot-prop.set",
        "set-value",
        "dset",
        "dot-object.set",
        "dot-object.str",
        "nested-property.set",
    ):
        pos = 0 if name in ("dot-object.str",) else 1
        calls[name] = _sink(c.PROTO, _set_path(pos), f"{name}() with a caller-chosen path")
    calls["lodash.zipObjectDeep"] = _sink(c.PROTO, _set_path(0), "lodash.zipObjectDeep() with caller keys")
    calls["%merge"] = _sink(c.PROTO, first, "a recursive merge without a __proto__ check", structured=True)

    # Logs -----------------------------------------------------------------------------------------
    for m in ("log", "info", "warn", "error", "debug", "trace", "dir", "table"):
        calls[f"console.{m}"] = _sink(c.LOG, _log_all, f"console.{m}()")

    # Second-order sources: AWS SDK reads ---------------------------------------------------------
    for name in ("@aws-sdk/client-s3.GetObjectCommand", "@aws-sdk/client-s3.SelectObjectContentCommand"):
        calls[name] = c.CallSpec(source="an S3 object")
    calls["@aws-sdk/client-sqs.ReceiveMessageCommand"] = c.CallSpec(source="an SQS message")
    s3 = c.CallSpec(returns="aws.s3", opaque=True)
    for name in ("aws-sdk.S3", "aws-sdk/clients/s3", "@aws-sdk/client-s3.S3"):
        calls[name] = s3
    calls["aws.s3.getObject"] = c.CallSpec(source="an S3 object")
    calls["aws.s3.*"] = c.CallSpec(opaque=True)

    # Sanitisers ---------------------------------------------------------------------------------------
    for name in (
        "parseInt",
        "parseFloat",
        "Number",
        "Boolean",
        "isNaN",
        "isFinite",
        "Number.parseInt",
        "Number.parseFloat",
        "Number.isInteger",
        "Number.isFinite",
        "Number.isNaN",
        "Number.isSafeInteger",
        "Math.floor",
        "Math.ceil",
        "Math.round",
        "Math.abs",
        "Math.min",
        "Math.max",
        "Math.trunc",
        "Math.sign",
        "Date.parse",
        "Date.now",
        "Array.isArray",
        "crypto.randomUUID",
        "crypto.randomBytes",
        "crypto.createHash",
        "crypto.createHmac",
        "crypto.timingSafeEqual",
        "uuid.v4",
        "uuid.v1",
        "uuid.validate",
        "bcrypt.hash",
        "bcrypt.compare",
        "bcryptjs.hash",
        "bcryptjs.compare",
        "ulid.ulid",
        "nanoid.nanoid",
    ):
        calls[name] = c.CallSpec(sanitise=ALL)
    calls["String"] = c.CallSpec(sanitise=frozenset({c.NOSQL}))
    calls["encodeURIComponent"] = c.CallSpec(sanitise=frozenset({c.SSRF, c.XSS, c.COMMAND, c.PATH}))
    calls["querystring.escape"] = calls["encodeURIComponent"]
    calls["querystring.stringify"] = calls["encodeURIComponent"]
    for name in (
        "escape-html",
        "he.encode",
        "he.escape",
        "lodash.escape",
        "lodash/escape",
        "underscore.escape",
        "validator.escape",
        "xss",
        "xss.filterXSS",
        "dompurify.sanitize",
        "isomorphic-dompurify.sanitize",
        "sanitize-html",
        "entities.encode",
        "entities.encodeHTML",
        "entities.escape",
        "html-entities.encode",
        "html-escaper.escape",
        "escape-goat.htmlEscape",
        "xss-filters.inHTMLData",
    ):
        calls[name] = c.CallSpec(sanitise=frozenset({c.XSS}))
    for name in (
        "shell-quote.quote",
        "shell-escape",
        "shescape.quote",
        "shescape.escape",
        "any-shell-escape",
    ):
        calls[name] = c.CallSpec(sanitise=frozenset({c.COMMAND}))
    calls["mongo-sanitize"] = c.CallSpec(sanitise=frozenset({c.NOSQL, c.PROTO}))
    calls["express-mongo-sanitize.sanitize"] = calls["mongo-sanitize"]
    calls["jsonwebtoken.verify"] = c.CallSpec(sanitise=ALL)
    calls["jose.jwtVerify"] = c.CallSpec(sanitise=ALL)

    # Validation: the value is clean afterwards ------------------------------------------------------
    calls["joi.*"] = c.CallSpec(returns="joi.schema", opaque=True)
    calls["joi.attempt"] = c.CallSpec(validates=(0, None), sanitise=ALL)
    calls["joi.assert"] = c.CallSpec(validates=(0, None), opaque=True)
    calls["joi.schema.*"] = c.CallSpec(returns="joi.schema", opaque=True)
    for m in ("validate", "validateAsync", "attempt"):
        calls[f"joi.schema.{m}"] = c.CallSpec(validates=(0, None), sanitise=ALL)
    for z in ("zod", "zod.z"):
        calls[f"{z}.*"] = c.CallSpec(returns="zod.schema", opaque=True)
    calls["zod.schema.*"] = c.CallSpec(returns="zod.schema", opaque=True)
    for m in ("parse", "parseAsync", "safeParse", "safeParseAsync"):
        calls[f"zod.schema.{m}"] = c.CallSpec(validates=(0, None), sanitise=ALL)
    calls["yup.*"] = c.CallSpec(returns="yup.schema", opaque=True)
    calls["yup.schema.*"] = c.CallSpec(returns="yup.schema", opaque=True)
    for m in ("validate", "validateSync", "cast"):
        calls[f"yup.schema.{m}"] = c.CallSpec(validates=(0, None), sanitise=ALL)
    for name in ("ajv", "ajv.default", "ajv.Ajv", "ajv/dist/2020", "ajv/dist/2019"):
        calls[name] = c.CallSpec(returns="ajv", opaque=True)
    calls["ajv.compile"] = c.CallSpec(returns="ajv.validator", opaque=True)
    calls["ajv.getSchema"] = calls["ajv.compile"]
    calls["ajv.validate"] = c.CallSpec(validates=(1, None), opaque=True)
    calls["ajv.*"] = c.CallSpec(returns="ajv", opaque=True)
    calls["ajv.validator.__call__"] = c.CallSpec(validates=(0, None), opaque=True)
    for name in (
        "class-validator.validate",
        "class-validator.validateOrReject",
        "class-validator.validateSync",
    ):
        calls[name] = c.CallSpec(validates=(0, None), opaque=True)
    calls["superstruct.assert"] = c.CallSpec(validates=(0, None), opaque=True)
    calls["superstruct.create"] = c.CallSpec(validates=(0, None), sanitise=ALL)

    # Callbacks and promises ---------------------------------------------------------------------------
    calls["Promise"] = c.CallSpec(callback=(0, None, "none|none"), opaque=True)
    calls["util.promisify"] = c.CallSpec()

    # In-code routers and adapters -----------------------------------------------------------------
    for name in (
        "express",
        "express.Router",
        "express.default",
        "koa",
        "@koa/router",
        "koa-router",
        "fastify",
    ):
        calls[name] = c.CallSpec(returns="web.app", opaque=True)
    calls["router"] = calls["express"]
    calls["lambda-api"] = calls["express"]
    calls["web.app.*"] = c.CallSpec(returns="web.app", opaque=True)
    calls["web.app.listen"] = c.CallSpec(opaque=True)
    calls["web.app.run"] = c.CallSpec(router="web")  # lambda-api: api.run(event, context)
    adapter = c.CallSpec(returns="adapter.web", router="web", opaque=True)
    for name in (
        "serverless-http",
        "@vendia/serverless-express",
        "@codegenie/serverless-express",
        "@vendia/serverless-express.configure",
        "@codegenie/serverless-express.configure",
        "aws-serverless-express.createServer",
        "aws-serverless-express.proxy",
        "@fastify/aws-lambda",
        "aws-lambda-fastify",
        "serverless-express",
        "@h4ad/serverless-adapter.ServerlessAdapter.new",
    ):
        calls[name] = adapter
    calls["adapter.web.__call__"] = c.CallSpec(router="web")
    calls["adapter.web.*"] = c.CallSpec(router="web")
    return calls


_MONGO_QUERIES = (
    "find",
    "findOne",
    "findOneAndUpdate",
    "findOneAndDelete",
    "findOneAndReplace",
    "findOneAndRemove",
    "updateOne",
    "updateMany",
    "deleteOne",
    "deleteMany",
    "countDocuments",
    "count",
    "aggregate",
    "distinct",
    "where",
    "remove",
    "update",
    "exists",
)


def _build_methods() -> dict[str, c.CallSpec]:
    m: dict[str, c.CallSpec] = {}
    # AWS SDK v2 clients of unknown type
    m["getObject"] = c.CallSpec(source="an S3 object")
    m["receiveMessage"] = c.CallSpec(source="an SQS message")
    m["getItem"] = c.CallSpec(source="a DynamoDB item")
    m["batchGetItem"] = c.CallSpec(source="a DynamoDB item")
    m["executeStatement"] = c.CallSpec(
        sinks=(
            c.Sink(c.SQL, _partiql, "executeStatement() (PartiQL)"),
            c.Sink(c.SQL, _rds_data, "executeStatement()"),
        )
    )
    m["batchExecuteStatement"] = _sink(c.SQL, _partiql, "batchExecuteStatement() (PartiQL)")
    m["executeTransaction"] = _sink(c.SQL, _partiql, "executeTransaction() (PartiQL)")
    m["startQueryExecution"] = _sink(c.SQL, _rds_data, "startQueryExecution()")
    for name in ("scan", "query"):
        m[name] = c.CallSpec(
            sinks=(
                c.Sink(c.NOSQL, _ddb_expression, f"{name}() expression"),
                c.Sink(c.SQL, _sql_method, f"{name}() with a built query"),
            )
        )
    for name in ("update", "updateItem", "delete", "deleteItem", "put", "putItem"):
        m[name] = _sink(c.NOSQL, _ddb_expression, f"{name}() expression")
    for name in ("execute", "raw", "whereRaw", "orderByRaw", "havingRaw", "joinRaw", "unsafe"):
        m[name] = _sink(c.SQL, _sql_method, f"{name}() with a built query")
    for name in ("$queryRawUnsafe", "$executeRawUnsafe"):
        m[name] = _sink(c.SQL, text_arg(0), f"prisma.{name}()")
    # MongoDB collections of unknown type (a module using a MongoDB driver)
    for name in _MONGO_QUERIES:
        if name in ("update",):
            continue
        m[name] = c.CallSpec(
            sinks=(c.Sink(c.NOSQL, _mongo(fallback=True), f"{name}() (MongoDB query)", structured=True),),
            callback=(0, None, "elem:recv") if name == "find" else None,
            callback_result=None,
        )
    # Promises and arrays: callbacks see the value, the element, the error
    m["then"] = c.CallSpec(callback=(0, None, "recv"), callback_result="value")
    m["catch"] = c.CallSpec(callback=(0, None, "exc"), callback_result="join")
    m["finally"] = c.CallSpec(callback=(0, None, "none"), callback_result="join")
    for name in ("forEach", "some", "every", "findIndex", "findLastIndex"):
        m[name] = c.CallSpec(callback=(0, None, "elem:recv|none"), opaque=True)
    for name in ("map", "flatMap"):
        m[name] = c.CallSpec(callback=(0, None, "elem:recv|none"), callback_result="contained")
    for name in ("filter", "sort", "findLast"):
        m[name] = c.CallSpec(callback=(0, None, "elem:recv|none"), callback_result="join")
    m["reduce"] = c.CallSpec(callback=(0, None, "arg:1|elem:recv"), callback_result="value")
    m["reduceRight"] = m["reduce"]
    # Loggers: logger.info(event)
    for name in ("info", "debug", "warn", "warning", "error", "trace", "log", "fatal", "verbose"):
        m[name] = c.CallSpec(sinks=(c.Sink(c.LOG, _logger_call, ""),))
    m["digest"] = c.CallSpec(opaque=True)
    return m


_DICT_KEYS = frozenset({"access-control-allow-origin", "$where", "body", "headers"})


def _on_dict(coll: ir.Coll, keys: list[V], values: list[V]) -> list[tuple[str, str, int, V]]:
    assert coll.keys is not None
    found: dict[str, int] = {}
    for i, k in enumerate(coll.keys):
        if type(k) is ir.Const and isinstance(k.value, str):
            low = k.value.lower()
            if low in _DICT_KEYS:
                found.setdefault(low, i)
    if not found:
        return []
    out: list[tuple[str, str, int, V]] = []
    cors = found.get("access-control-allow-origin")
    if cors is not None and values[cors].atoms:
        out.append((c.CORS, "the Access-Control-Allow-Origin header", coll.items[cors].line, values[cors]))
    where = found.get("$where")
    if where is not None and values[where].atoms:
        out.append((c.NOSQL, "a MongoDB $where", coll.items[where].line, _strings(values[where])))
    body, headers = found.get("body"), found.get("headers")
    if body is not None and headers is not None:
        ctype = _prop(coll.items[headers], "content-type")
        if isinstance(ctype, ir.Const) and isinstance(ctype.value, str) and "html" in ctype.value.lower():
            v = _strings(values[body])
            if v.atoms:
                out.append((c.XSS, "a text/html response body", coll.items[body].line, v))
    return out


def _on_key_store(key: str, value: V, line: int) -> list[tuple[str, str, int, V]]:
    if key.lower() == "access-control-allow-origin":
        return [(c.CORS, "the Access-Control-Allow-Origin header", line, value)]
    return []


_ACCESSORS: dict[str, tuple[tuple[str, ...], tuple[int, str] | None]] = {
    # Map / URLSearchParams / Headers `.get(k)`; Express `req.get(h)` / `req.header(h)` and Koa
    # `ctx.get(h)` are mapped onto headers by their request views.
    "get": (("get",), (0, "key")),
    "getAll": (("get",), (0, "key")),
    "header": (("header",), (0, "name")),
    "param": (("params",), (0, "name")),
}

_OPAQUE_METHODS = frozenset(
    {
        "startsWith",
        "endsWith",
        "includes",
        "indexOf",
        "lastIndexOf",
        "search",
        "test",
        "localeCompare",
        "charCodeAt",
        "codePointAt",
        "getTime",
        "toFixed",
        "toPrecision",
        "hasOwnProperty",
        "isInteger",
        "isFinite",
        "has",
        "exists",
        "existsSync",
        "digest",
        "compare",
        "equals",
        "isValid",
        "isBefore",
        "isAfter",
        "valueOf",
        "getTimezoneOffset",
        "toISOString",
        "size",
    }
)

_GUARD_METHODS: dict[str, frozenset[str]] = {"startsWith": frozenset({c.PATH})}
_GUARD_ARG_METHODS: dict[str, frozenset[str]] = {"test": ALL}
_GUARD_CALLS: dict[str, frozenset[str]] = {
    "Number.isInteger": ALL,
    "Number.isSafeInteger": ALL,
    "Number.isFinite": ALL,
    "isFinite": ALL,
    "Array.isArray": frozenset(),
    **{
        f"validator.{n}": ALL
        for n in (
            "isInt",
            "isNumeric",
            "isFloat",
            "isDecimal",
            "isUUID",
            "isAlphanumeric",
            "isAlpha",
            "isEmail",
            "isMongoId",
            "isHexadecimal",
            "isIP",
            "isDate",
            "isISO8601",
            "isBoolean",
            "isSlug",
            "isHash",
            "isPort",
            "isMobilePhone",
            "isPostalCode",
            "isIn",
            "matches",
        )
    },
    "validator.isURL": frozenset(),
    "uuid.validate": ALL,
}

BUILTINS = frozenset(
    {
        "eval",
        "Function",
        "setTimeout",
        "setInterval",
        "setImmediate",
        "require",
        "fetch",
        "parseInt",
        "parseFloat",
        "Number",
        "String",
        "Boolean",
        "isNaN",
        "isFinite",
        "encodeURIComponent",
        "encodeURI",
        "decodeURIComponent",
        "decodeURI",
        "escape",
        "unescape",
        "atob",
        "btoa",
        "JSON",
        "Math",
        "Buffer",
        "Object",
        "Array",
        "Promise",
        "console",
        "process",
        "Date",
        "URL",
        "URLSearchParams",
        "structuredClone",
        "Reflect",
        "%merge",
    }
)


def _replace_sanitises(view: c.CallView) -> frozenset[str]:
    """`s.replace(/[^a-z0-9]/gi, "")` keeps a safe alphabet; removing `..` or `/` fixes paths."""
    old, new = view.const(0), view.const(1)
    if not isinstance(old, str) or not isinstance(new, str):
        return frozenset()
    if old.startswith("/[^") and new == "":
        allowed = old[3 : old.find("]")] if "]" in old else ""
        if not any(ch in allowed for ch in "./\\$`;|&<>'\" "):
            return ALL
        return frozenset({c.PATH}) if "." not in allowed or "/" not in allowed else frozenset()
    traversal = ".." in old.replace("\\", "") or old in ("/", "\\", "/\\//g")
    if traversal and "/" not in new:
        return frozenset({c.PATH})
    return frozenset()


def _split_sanitises(view: c.CallView) -> frozenset[str]:
    sep = view.const(0)
    return frozenset({c.PATH}) if sep == "/" else frozenset()


def _to_string(view: c.CallView) -> frozenset[str]:
    enc = view.const(0)
    return ALL if enc in ("base64", "hex", "base64url") else frozenset()


@cache
def js_catalog() -> c.Catalog:
    return c.Catalog(
        language="javascript",
        calls=_build_calls(),
        methods=_build_methods(),
        accessors=_ACCESSORS,
        ambient_attrs=frozenset(),
        ambient_names=frozenset(),
        opaque_methods=_OPAQUE_METHODS,
        guard_methods=_GUARD_METHODS,
        guard_calls=_GUARD_CALLS,
        builtins=BUILTINS,
        on_dict=_on_dict,
        on_key_store=_on_key_store,
        method_sanitisers={
            "replace": _replace_sanitises,
            "replaceAll": _replace_sanitises,
            "split": _split_sanitises,
            "toString": _to_string,
        },
        broad_exceptions=frozenset({"*"}),
        type_members={"mongo.client": "mongo.db", "mongo.db": "mongo.collection"},
        guard_arg_methods=_GUARD_ARG_METHODS,
        run_callbacks=True,
    )


def names(*parts: str) -> Callable[[str], bool]:
    """A predicate over qualified names (for the lowerer's syntactic checks)."""
    wanted = frozenset(parts)
    return lambda n: n in wanted
