"""What the Python standard library and common Lambda libraries do with data.

Keys are qualified names as imports spell them ("subprocess.run"), or a type tag plus a method
("requests.Session.get", "boto3.client:s3.get_object"). A tag is what a constructor returns:
`boto3.client("s3")` is "boto3.client:s3", `requests.Session()` is "requests.Session".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from faasguard.analysis.code import catalog as c
from faasguard.analysis.code import ir
from faasguard.analysis.code.values import EMBEDDED, RAW, V

ALL = frozenset({"*"})

# --- selectors ------------------------------------------------------------------------------------


def args(*where: int | str) -> c.Selector:
    """The values at these positions / keywords."""

    def select(view: c.CallView) -> list[V]:
        out: list[V] = []
        for w in where:
            v = view.arg(w, None) if isinstance(w, int) else view.arg(None, w)
            if v is not None:
                out.append(v)
        return out

    return select


def arg_or_kw(pos: int, name: str) -> c.Selector:
    def select(view: c.CallView) -> list[V]:
        v = view.arg(pos, name)
        return [v] if v is not None else []

    return select


def receiver(view: c.CallView) -> list[V]:
    return [view.receiver] if view.receiver is not None else []


def _truthy(view: c.CallView, name: str) -> bool:
    v = view.const(None, name)
    return v is not None and v is not False and v != 0 and v != "" and not _is_noconst(v)


def _is_noconst(v: object) -> bool:
    from faasguard.analysis.code.values import NOCONST

    return v is NOCONST


def _command(pos: int = 0, name: str = "args", shell_default: bool = False) -> c.Selector:
    """subprocess.*: a string runs through the shell only with shell=True; a list is argv."""

    def select(view: c.CallView) -> list[V]:
        expr = view.arg_expr(pos, name)
        v = view.arg(pos, name)
        if v is None:
            return []
        shell = shell_default or _truthy(view, "shell")
        if isinstance(expr, ir.Coll) and expr.keys is None:
            if not expr.items:
                return []
            first = expr.items[0]
            if isinstance(first, ir.Starred):
                return [v]
            if _is_shell(first) and any(isinstance(x, ir.Const) and x.value == "-c" for x in expr.items[1:3]):
                # ["sh", "-c", script]: the script runs through the shell
                script = [view.value(x) for x in expr.items[1:] if not isinstance(x, ir.Const)]
                return [V(frozenset(a for s in script for a in s.atoms if a.shape != 1))]
            program = view.value(first)
            return [V(frozenset(a for a in program.atoms if a.shape != 1))]
        if shell:
            return [v]
        # No shell: only a value that is wholly the caller's picks the program to run.
        whole = frozenset(a for a in v.atoms if a.shape == RAW)
        return [V(whole)] if whole else []

    return select


_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "/bin/sh", "/bin/bash", "/usr/bin/bash", "/bin/zsh"})


def _is_shell(e: ir.Expr) -> bool:
    return isinstance(e, ir.Const) and e.value in _SHELLS


def _yaml_unsafe(view: c.CallView) -> list[V]:
    loader = view.arg_expr(1, "Loader")
    v = view.arg(0, "stream")
    if v is None:
        return []
    if loader is None:
        return [v]  # PyYAML < 5.1 used the full loader by default
    name = _expr_name(loader)
    if name.endswith(("SafeLoader", "CSafeLoader", "BaseLoader")):
        return []
    return [v]


def _expr_name(e: ir.Expr) -> str:
    parts: list[str] = []
    while isinstance(e, ir.Attr):
        parts.append(e.name)
        e = e.obj
    if isinstance(e, ir.Name):
        parts.append(e.id)
    return ".".join(reversed(parts))


def _numpy_pickle(view: c.CallView) -> list[V]:
    if view.const(None, "allow_pickle") is True:
        v = view.arg(0, "file")
        return [v] if v is not None else []
    return []


def _lxml(pos: int = 0, name: str = "text") -> c.Selector:
    def select(view: c.CallView) -> list[V]:
        v = view.arg(pos, name)
        if v is None:
            return []
        parser = view.arg(1, "parser")
        if parser is not None and "t:lxml.safe-parser" in parser.tags:
            return []
        if parser is not None and "t:lxml.entity-parser" in parser.tags:
            return [v]
        if view.flags.get("entity_parsers"):
            return [v]
        return []

    return select


def _entity_xml(pos: int = 0, name: str = "source") -> c.Selector:
    """stdlib parsers resolve external entities only when the module turns the feature on."""

    def select(view: c.CallView) -> list[V]:
        if not view.flags.get("entity_parsers"):
            return []
        v = view.arg(pos, name)
        return [v] if v is not None else []

    return select


def _mongo(pos: int = 0, name: str = "filter", fallback: bool = False) -> c.Selector:
    def select(view: c.CallView) -> list[V]:
        if fallback and not view.flags.get("mongo_module"):
            return []
        v = view.arg(pos, name)
        if v is None:
            return []
        # A query document built from request values: operator injection ({"$ne": null})
        # unless each value was cast to a string / number first.
        return [v]

    return select


def _nosql_expression(view: c.CallView) -> list[V]:
    out: list[V] = []
    for key in ("FilterExpression", "KeyConditionExpression", "ConditionExpression", "ProjectionExpression"):
        v = view.arg(None, key)
        expr = view.arg_expr(None, key)
        if v is None or not v.atoms:
            continue
        if isinstance(expr, ir.Call) or (
            expr is not None and not _stringish(expr) and "t:boto3.condition" in v.tags
        ):
            continue  # Key("id").eq(value): the condition builder escapes values
        strings = frozenset(a for a in v.atoms if a.shape in (RAW, EMBEDDED))
        if strings and "t:boto3.condition" not in v.tags:
            out.append(V(strings))
    for key in ("ScanFilter", "QueryFilter", "KeyConditions"):
        v = view.arg(None, key)
        expr = view.arg_expr(None, key)
        if v is None or isinstance(expr, ir.Coll):
            continue
        whole = frozenset(a for a in v.atoms if a.shape == RAW)
        if whole:
            out.append(V(whole))
    return out


def _stringish(e: ir.Expr) -> bool:
    return isinstance(e, (ir.Concat, ir.Const))


def _partiql(view: c.CallView) -> list[V]:
    v = view.arg(None, "Statement")
    return [v] if v is not None else []


def _sql_statement(view: c.CallView) -> list[V]:
    out = []
    for key in ("sql", "Sql", "QueryString", "sqls", "Sqls"):
        v = view.arg(None, key)
        if v is not None:
            out.append(v)
    return out


def _dbapi_execute(view: c.CallView) -> list[V]:
    v = (
        view.arg(0, "operation")
        or view.arg(None, "query")
        or view.arg(None, "statement")
        or view.arg(None, "sql")
    )
    if v is None:
        return []
    strings = frozenset(a for a in v.atoms if a.shape in (RAW, EMBEDDED))
    return [V(strings)] if strings else []


def _db_method(view: c.CallView) -> list[V]:
    """`.execute(...)` on an untyped receiver: a database call only in a module that uses one."""
    if not view.flags.get("sql_module"):
        return []
    return _dbapi_execute(view)


def _html_response(view: c.CallView) -> list[V]:
    ctype = view.const(None, "mimetype")
    if _is_noconst(ctype) or ctype is None:
        ctype = view.const(None, "content_type")
    if isinstance(ctype, str) and "html" not in ctype.lower():
        return []
    v = view.arg(0, "response") or view.arg(None, "body")
    return [_strings(v)] if v is not None else []


def _html_always(pos: int, name: str) -> c.Selector:
    def select(view: c.CallView) -> list[V]:
        v = view.arg(pos, name)
        return [_strings(v)] if v is not None else []

    return select


def _chalice_response(view: c.CallView) -> list[V]:
    headers = view.arg_expr(None, "headers")
    if not (isinstance(headers, ir.Coll) and _html_header(headers)):
        return []
    v = view.arg(0, "body")
    return [_strings(v)] if v is not None else []


def _powertools_response(view: c.CallView) -> list[V]:
    ctype = view.const(None, "content_type")
    expr = view.arg_expr(None, "content_type")
    named = _expr_name(expr) if expr is not None else ""
    if not ((isinstance(ctype, str) and "html" in ctype.lower()) or named.endswith("TEXT_HTML")):
        return []
    v = view.arg(None, "body")
    return [_strings(v)] if v is not None else []


def _strings(v: V) -> V:
    return V(frozenset(a for a in v.atoms if a.shape != 1))


def _html_header(headers: ir.Coll) -> bool:
    value = headers.get("Content-Type")
    return isinstance(value, ir.Const) and isinstance(value.value, str) and "html" in value.value.lower()


def _download_target(view: c.CallView) -> list[V]:
    v = view.arg(None, "Filename")
    if v is None:
        n = len(view.call.args)
        v = view.arg(n - 1) if n >= 2 else None
    return [v] if v is not None else []


def _upload_source(view: c.CallView) -> list[V]:
    v = view.arg(0, "Filename")
    return [v] if v is not None else []


def _requests_url(view: c.CallView) -> list[V]:
    v = view.arg(0, "url")
    return [v] if v is not None else []


def _request_url(view: c.CallView) -> list[V]:
    v = view.arg(1, "url")
    return [v] if v is not None else []


def _jwt_verifies(view: c.CallView) -> bool:
    options = view.arg_expr(None, "options")
    if isinstance(options, ir.Coll):
        flag = options.get("verify_signature")
        if isinstance(flag, ir.Const) and flag.value is False:
            return False
    verify = view.const(None, "verify")
    return verify is not False


# --- return tags -------------------------------------------------------------------------------------


def _boto(prefix: str) -> Callable[[c.CallView], str | None]:
    def tag(view: c.CallView) -> str | None:
        service = view.const(0, "service_name")
        return f"{prefix}:{service}" if isinstance(service, str) else prefix

    return tag


def _lxml_parser(view: c.CallView) -> str | None:
    ents = view.const(None, "resolve_entities")
    if ents is False:
        return "lxml.safe-parser"
    if ents is True or view.const(None, "load_dtd") is True:
        return "lxml.entity-parser"
    return "lxml.parser"


# --- the tables --------------------------------------------------------------------------------------


def _sink(family: str, select: c.Selector, label: str, confidence: str = "high") -> c.CallSpec:
    return c.CallSpec(sinks=(c.Sink(family, select, label, confidence),))


def _build_calls() -> dict[str, c.CallSpec]:
    calls: dict[str, c.CallSpec] = {}
    first = args(0)

    # OS commands
    for name in (
        "os.system",
        "os.popen",
        "commands.getoutput",
        "commands.getstatusoutput",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "pty.spawn",
    ):
        calls[name] = _sink(c.COMMAND, arg_or_kw(0, "command"), f"{name}()")
    for name in (
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
        "asyncio.create_subprocess_exec",
    ):
        calls[name] = _sink(c.COMMAND, _command(), f"{name}()")
    calls["asyncio.create_subprocess_shell"] = _sink(
        c.COMMAND, _command(shell_default=True, name="cmd"), "asyncio.create_subprocess_shell()"
    )
    for fn in (
        "execl",
        "execle",
        "execlp",
        "execlpe",
        "execv",
        "execve",
        "execvp",
        "execvpe",
        "spawnl",
        "spawnle",
        "spawnlp",
        "spawnlpe",
        "spawnv",
        "spawnve",
        "spawnvp",
        "spawnvpe",
    ):
        pos = 1 if fn.startswith("spawn") else 0
        calls[f"os.{fn}"] = _sink(c.COMMAND, args(pos), f"os.{fn}()")

    # Code evaluation and templates evaluated from request data
    for name in ("eval", "exec", "compile", "builtins.eval", "builtins.exec", "builtins.compile", "execfile"):
        calls[name] = _sink(c.CODE, arg_or_kw(0, "source"), f"{name.split('.')[-1]}()")
    calls["__import__"] = _sink(c.CODE, first, "__import__()")
    calls["importlib.import_module"] = _sink(c.CODE, arg_or_kw(0, "name"), "importlib.import_module()")
    for name in (
        "jinja2.Template",
        "jinja2.environment.Template",
        "mako.template.Template",
        "flask.render_template_string",
        "django.template.Template",
    ):
        calls[name] = _sink(c.CODE, arg_or_kw(0, "source"), f"{name}() (template injection)")
    calls["jinja2.Environment.from_string"] = _sink(
        c.CODE, arg_or_kw(0, "source"), "Environment.from_string()"
    )

    # Deserialisation
    for name in (
        "pickle.loads",
        "pickle.load",
        "cPickle.loads",
        "cPickle.load",
        "_pickle.loads",
        "dill.loads",
        "dill.load",
        "marshal.loads",
        "marshal.load",
        "jsonpickle.decode",
        "jsonpickle.unpickler.decode",
        "pandas.read_pickle",
        "joblib.load",
        "torch.load",
        "cloudpickle.loads",
        "yaml.unsafe_load",
        "yaml.unsafe_load_all",
        "shelve.open",
        "pickle.Unpickler",
        "keras.models.load_model",
    ):
        calls[name] = _sink(c.DESERIALISE, first, f"{name}()")
    for name in ("yaml.load", "yaml.load_all"):
        calls[name] = _sink(c.DESERIALISE, _yaml_unsafe, f"{name}() without a safe loader")
    calls["numpy.load"] = _sink(c.DESERIALISE, _numpy_pickle, "numpy.load(allow_pickle=True)")

    # SQL and PartiQL
    for name in ("sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"):
        calls[name] = _sink(c.SQL, first, "sqlalchemy.text()")
    for t in (
        "dbapi.connection",
        "dbapi.cursor",
        "sqlalchemy.engine",
        "sqlalchemy.connection",
        "sqlalchemy.session",
    ):
        for m in ("execute", "executemany", "executescript", "exec_driver_sql", "mogrify"):
            calls[f"{t}.{m}"] = _sink(c.SQL, _dbapi_execute, "")
    for service in ("dynamodb",):
        calls[f"boto3.client:{service}.execute_statement"] = _sink(
            c.SQL, _partiql, "execute_statement() (PartiQL)"
        )
        calls[f"boto3.client:{service}.execute_transaction"] = c.CallSpec()
    calls["boto3.client:rds-data.execute_statement"] = _sink(
        c.SQL, _sql_statement, "rds-data execute_statement()"
    )
    calls["boto3.client:redshift-data.execute_statement"] = _sink(
        c.SQL, _sql_statement, "redshift-data execute_statement()"
    )
    calls["boto3.client:athena.start_query_execution"] = _sink(
        c.SQL, _sql_statement, "athena start_query_execution()"
    )

    # NoSQL: DynamoDB expression strings, Mongo query documents
    nosql_scan = c.CallSpec(
        sinks=(c.Sink(c.NOSQL, _nosql_expression, "a DynamoDB filter"),), source="a DynamoDB item"
    )
    for m in ("scan", "query"):
        calls[f"dynamodb.Table.{m}"] = nosql_scan
        calls[f"boto3.client:dynamodb.{m}"] = nosql_scan
    for m in (
        "find",
        "find_one",
        "find_one_and_update",
        "find_one_and_delete",
        "update_one",
        "update_many",
        "delete_one",
        "delete_many",
        "count_documents",
        "aggregate",
        "find_one_and_replace",
        "distinct",
    ):
        calls[f"mongo.collection.{m}"] = c.CallSpec(
            sinks=(c.Sink(c.NOSQL, _mongo(), f"{m}() (MongoDB query)", structured=True),)
        )
    calls["mongo.collection.get_collection"] = c.CallSpec(returns="mongo.collection", opaque=True)
    calls["mongo.client.get_database"] = c.CallSpec(returns="mongo.collection", opaque=True)
    calls["mongo.client.get_default_database"] = c.CallSpec(returns="mongo.collection", opaque=True)

    # File paths
    for name in (
        "open",
        "io.open",
        "codecs.open",
        "os.open",
        "builtins.open",
        "os.remove",
        "os.unlink",
        "os.rmdir",
        "os.removedirs",
        "os.listdir",
        "os.scandir",
        "os.walk",
        "os.makedirs",
        "os.mkdir",
        "os.rename",
        "os.replace",
        "os.chmod",
        "os.truncate",
        "shutil.copy",
        "shutil.copy2",
        "shutil.copyfile",
        "shutil.copytree",
        "shutil.move",
        "shutil.rmtree",
        "shutil.unpack_archive",
        "tarfile.open",
        "zipfile.ZipFile",
        "flask.send_file",
        "fastapi.responses.FileResponse",
        "starlette.responses.FileResponse",
        "linecache.getline",
        "fileinput.input",
        "gzip.open",
        "bz2.open",
        "lzma.open",
        "aiofiles.open",
    ):
        label = f"{name.removeprefix('builtins.')}()"
        calls[name] = _sink(c.PATH, arg_or_kw(0, "file" if name.endswith("open") else "path"), label)
    path_methods = (
        "open",
        "read_text",
        "read_bytes",
        "write_text",
        "write_bytes",
        "unlink",
        "rmdir",
        "mkdir",
        "iterdir",
        "touch",
        "rename",
        "replace",
        "glob",
        "rglob",
    )
    for m in path_methods:
        calls[f"pathlib.Path.{m}"] = _sink(c.PATH, receiver, f"Path.{m}()")
    for name in ("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"):
        calls[name] = c.CallSpec(returns="pathlib.Path")
    for t in ("boto3.client:s3", "s3.Bucket", "s3.Object"):
        calls[f"{t}.download_file"] = _sink(c.PATH, _download_target, "download_file() local path")
        calls[f"{t}.upload_file"] = _sink(c.PATH, _upload_source, "upload_file() local path")

    # Outbound URLs (SSRF); their responses are second-order data
    def http(label: str, select: c.Selector = _requests_url) -> c.CallSpec:
        return c.CallSpec(sinks=(c.Sink(c.SSRF, select, label),), source="a third-party HTTP response")

    for lib in ("requests", "httpx"):
        for m in ("get", "post", "put", "patch", "delete", "head", "options", "stream"):
            calls[f"{lib}.{m}"] = http(f"{lib}.{m}()")
        calls[f"{lib}.request"] = http(f"{lib}.request()", _request_url)
    for t in ("requests.Session", "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession"):
        for m in ("get", "post", "put", "patch", "delete", "head", "options", "stream"):
            calls[f"{t}.{m}"] = http(f"{t.split('.')[-1]}.{m}()")
        calls[f"{t}.request"] = http(f"{t.split('.')[-1]}.request()", _request_url)
    calls["requests.Session"] = c.CallSpec(returns="requests.Session", opaque=True)
    calls["requests.session"] = c.CallSpec(returns="requests.Session", opaque=True)
    calls["httpx.Client"] = c.CallSpec(returns="httpx.Client", opaque=True)
    calls["httpx.AsyncClient"] = c.CallSpec(returns="httpx.AsyncClient", opaque=True)
    calls["aiohttp.ClientSession"] = c.CallSpec(returns="aiohttp.ClientSession", opaque=True)
    calls["urllib3.PoolManager"] = c.CallSpec(returns="urllib3.PoolManager", opaque=True)
    calls["urllib3.PoolManager.request"] = http("PoolManager.request()", _request_url)
    calls["urllib3.request"] = http("urllib3.request()", _request_url)
    calls["urllib.request.urlopen"] = http("urllib.request.urlopen()")
    calls["urllib.request.urlretrieve"] = http("urllib.request.urlretrieve()")
    calls["urllib2.urlopen"] = http("urllib2.urlopen()")
    for name in ("http.client.HTTPConnection", "http.client.HTTPSConnection"):
        calls[name] = c.CallSpec(
            sinks=(c.Sink(c.SSRF, arg_or_kw(0, "host"), f"{name}()"),), returns="http.client.Connection"
        )
    calls["http.client.Connection.getresponse"] = c.CallSpec(source="a third-party HTTP response")
    calls["socket.create_connection"] = _sink(c.SSRF, arg_or_kw(0, "address"), "socket.create_connection()")

    # HTML responses (XSS)
    calls["flask.Response"] = _sink(c.XSS, _html_response, "flask.Response() (text/html)")
    calls["werkzeug.wrappers.Response"] = calls["flask.Response"]
    calls["flask.make_response"] = _sink(c.XSS, _html_always(0, "response"), "flask.make_response()")
    for name in ("fastapi.responses.HTMLResponse", "starlette.responses.HTMLResponse"):
        calls[name] = _sink(c.XSS, _html_always(0, "content"), "HTMLResponse()")
    for name in ("markupsafe.Markup", "flask.Markup", "jinja2.Markup"):
        calls[name] = _sink(c.XSS, first, "Markup() (marks the text safe)")
    calls["chalice.Response"] = _sink(c.XSS, _chalice_response, "chalice.Response() (text/html)")
    calls["chalice.app.Response"] = calls["chalice.Response"]
    for name in (
        "aws_lambda_powertools.event_handler.Response",
        "aws_lambda_powertools.event_handler.api_gateway.Response",
    ):
        calls[name] = _sink(c.XSS, _powertools_response, "Response() (text/html)")

    # XML external entities
    for name in (
        "lxml.etree.fromstring",
        "lxml.etree.XML",
        "lxml.etree.parse",
        "lxml.etree.iterparse",
        "lxml.objectify.fromstring",
        "lxml.objectify.parse",
        "lxml.objectify.XML",
    ):
        calls[name] = _sink(c.XXE, _lxml(), f"{name.removeprefix('lxml.')}()")
    calls["lxml.etree.XMLParser"] = c.CallSpec(returns=_lxml_parser, opaque=True)
    for name in (
        "xml.dom.pulldom.parse",
        "xml.dom.pulldom.parseString",
        "xml.sax.parse",
        "xml.sax.parseString",
        "xml.dom.minidom.parse",
        "xml.dom.minidom.parseString",
        "xml.etree.ElementTree.fromstring",
        "xml.etree.ElementTree.parse",
        "xml.sax.make_parser.parse",
    ):
        calls[name] = _sink(c.XXE, _entity_xml(), f"{name}() with external entities on")

    # Whole events in logs
    log_sink = _sink(c.LOG, lambda v: v.all_args(), "")
    for name in (
        "print",
        "logging.info",
        "logging.debug",
        "logging.warning",
        "logging.error",
        "logging.critical",
        "logging.exception",
        "logging.log",
        "logging.Logger.info",
        "logging.Logger.debug",
        "logging.Logger.warning",
        "logging.Logger.error",
        "logging.Logger.critical",
        "logging.Logger.exception",
        "powertools.Logger.info",
        "powertools.Logger.debug",
        "powertools.Logger.warning",
        "powertools.Logger.error",
        "powertools.Logger.critical",
        "powertools.Logger.exception",
        "logging.Logger.log",
    ):
        calls[name] = log_sink
    calls["logging.getLogger"] = c.CallSpec(returns="logging.Logger", opaque=True)
    calls["aws_lambda_powertools.Logger"] = c.CallSpec(returns="powertools.Logger", opaque=True)
    calls["aws_lambda_powertools.logging.Logger"] = calls["aws_lambda_powertools.Logger"]

    # Second-order sources: data stores and services read back
    s3_object = c.CallSpec(source="an S3 object")
    ddb_item = c.CallSpec(source="a DynamoDB item")
    calls["boto3.client:s3.get_object"] = s3_object
    calls["s3.Object.get"] = s3_object
    calls["boto3.client:sqs.receive_message"] = c.CallSpec(source="an SQS message")
    for m in ("get_item", "batch_get_item"):
        calls[f"dynamodb.Table.{m}"] = ddb_item
        calls[f"boto3.client:dynamodb.{m}"] = ddb_item
    calls["boto3.client"] = c.CallSpec(returns=_boto("boto3.client"), opaque=True)
    calls["boto3.resource"] = c.CallSpec(returns=_boto("boto3.resource"), opaque=True)
    calls["boto3.session.Session"] = c.CallSpec(returns="boto3.Session", opaque=True)
    calls["boto3.Session"] = calls["boto3.session.Session"]
    calls["boto3.Session.client"] = calls["boto3.client"]
    calls["boto3.Session.resource"] = calls["boto3.resource"]
    calls["boto3.resource:dynamodb.Table"] = c.CallSpec(returns="dynamodb.Table", opaque=True)
    calls["boto3.resource:s3.Bucket"] = c.CallSpec(returns="s3.Bucket", opaque=True)
    calls["boto3.resource:s3.Object"] = c.CallSpec(returns="s3.Object", opaque=True)
    calls["s3.Bucket.Object"] = c.CallSpec(returns="s3.Object", opaque=True)
    for name in ("boto3.dynamodb.conditions.Key", "boto3.dynamodb.conditions.Attr"):
        calls[name] = c.CallSpec(returns="boto3.condition", opaque=True)
    for m in ("eq", "ne", "lt", "lte", "gt", "gte", "begins_with", "between", "contains", "is_in", "exists"):
        calls[f"boto3.condition.{m}"] = c.CallSpec(returns="boto3.condition", opaque=True)

    # Databases
    for name in (
        "sqlite3.connect",
        "pymysql.connect",
        "psycopg2.connect",
        "psycopg.connect",
        "mysql.connector.connect",
        "pg8000.connect",
        "pg8000.native.Connection",
        "redshift_connector.connect",
        "pyodbc.connect",
        "cx_Oracle.connect",
        "oracledb.connect",
        "snowflake.connector.connect",
        "duckdb.connect",
        "pymssql.connect",
        "MySQLdb.connect",
        "aiomysql.connect",
        "asyncpg.connect",
    ):
        calls[name] = c.CallSpec(returns="dbapi.connection", opaque=True)
    calls["dbapi.connection.cursor"] = c.CallSpec(returns="dbapi.cursor", opaque=True)
    calls["sqlalchemy.create_engine"] = c.CallSpec(returns="sqlalchemy.engine", opaque=True)
    calls["sqlalchemy.engine.connect"] = c.CallSpec(returns="sqlalchemy.connection", opaque=True)
    calls["sqlalchemy.engine.begin"] = c.CallSpec(returns="sqlalchemy.connection", opaque=True)
    calls["sqlalchemy.orm.Session"] = c.CallSpec(returns="sqlalchemy.session", opaque=True)
    for name in ("pymongo.MongoClient", "motor.motor_asyncio.AsyncIOMotorClient"):
        calls[name] = c.CallSpec(returns="mongo.client", opaque=True)

    # Sanitisers
    for name in (
        "int",
        "float",
        "bool",
        "len",
        "abs",
        "round",
        "hash",
        "id",
        "ord",
        "isinstance",
        "issubclass",
        "hasattr",
        "callable",
        "range",
        "decimal.Decimal",
        "uuid.UUID",
        "uuid.uuid4",
        "uuid.uuid1",
        "datetime.datetime.fromisoformat",
        "datetime.date.fromisoformat",
        "time.time",
        "os.getenv",
        "os.environ.get",
        "math.floor",
        "math.ceil",
        "hmac.compare_digest",
        "secrets.token_hex",
        "secrets.token_urlsafe",
        "ipaddress.ip_address",
        "hashlib.sha256",
        "hashlib.md5",
        "hashlib.sha1",
        "hashlib.sha512",
        "hmac.new",
        "base64.b64encode",
        "base64.urlsafe_b64encode",
        "binascii.hexlify",
        "type",
        "boto3.dynamodb.types.TypeDeserializer.deserialize",
    ):
        calls[name] = c.CallSpec(sanitise=ALL)
    calls["str"] = c.CallSpec(sanitise=frozenset({c.NOSQL}))
    calls["shlex.quote"] = c.CallSpec(sanitise=frozenset({c.COMMAND}))
    calls["pipes.quote"] = calls["shlex.quote"]
    calls["shlex.join"] = calls["shlex.quote"]
    calls["shlex.split"] = c.CallSpec()
    for name in ("os.path.realpath", "os.path.abspath", "os.path.normpath"):
        calls[name] = c.CallSpec(returns="path.resolved")
    calls["pathlib.Path.resolve"] = c.CallSpec(returns="pathlib.Path")
    for name in (
        "os.path.basename",
        "werkzeug.utils.secure_filename",
        "pathvalidate.sanitize_filename",
        "werkzeug.security.safe_join",
        "flask.safe_join",
    ):
        calls[name] = c.CallSpec(sanitise=frozenset({c.PATH}))
    for name in (
        "html.escape",
        "markupsafe.escape",
        "flask.escape",
        "bleach.clean",
        "cgi.escape",
        "django.utils.html.escape",
        "xml.sax.saxutils.escape",
    ):
        calls[name] = c.CallSpec(sanitise=frozenset({c.XSS}))
    for name in ("urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.urlencode"):
        calls[name] = c.CallSpec(sanitise=frozenset({c.SSRF, c.XSS, c.COMMAND, c.PATH}))
    for name in (
        "psycopg2.sql.Identifier",
        "psycopg2.sql.Literal",
        "psycopg.sql.Identifier",
        "psycopg.sql.Literal",
        "sqlalchemy.bindparam",
    ):
        calls[name] = c.CallSpec(sanitise=frozenset({c.SQL}))
    for name in ("jwt.decode", "jose.jwt.decode", "jwt.api_jwt.decode"):
        calls[name] = c.CallSpec(sanitise=ALL, sanitise_if=_jwt_verifies)

    # Validation (schema checks): the validated value is clean afterwards.
    calls["jsonschema.validate"] = c.CallSpec(validates=(0, "instance"), opaque=True)
    calls["fastjsonschema.validate"] = c.CallSpec(validates=(1, "data"), opaque=True)
    for name in ("aws_lambda_powertools.utilities.validation.validate",):
        calls[name] = c.CallSpec(validates=(0, "event"), opaque=True)
    for name in ("aws_lambda_powertools.utilities.parser.parse",):
        calls[name] = c.CallSpec(sanitise=ALL)

    # Callbacks
    calls["map"] = c.CallSpec(callback=(0, None, "elem:1"))
    calls["filter"] = c.CallSpec(callback=(0, None, "elem:1"))
    for name in (
        "aws_lambda_powertools.utilities.batch.process_partial_response",
        "aws_lambda_powertools.utilities.batch.async_process_partial_response",
    ):
        calls[name] = c.CallSpec(callback=(None, "record_handler", "records:0"), opaque=True)
    calls["concurrent.futures.ThreadPoolExecutor.submit"] = c.CallSpec(callback=(0, None, "arg:1"))
    calls["concurrent.futures.ThreadPoolExecutor"] = c.CallSpec(
        returns="concurrent.futures.ThreadPoolExecutor"
    )
    calls["threading.Thread"] = c.CallSpec(callback=(None, "target", "arg:0"), opaque=True)

    # In-code routers and adapters
    for name in (
        "APIGatewayRestResolver",
        "APIGatewayHttpResolver",
        "ALBResolver",
        "LambdaFunctionUrlResolver",
        "ApiGatewayResolver",
        "VPCLatticeResolver",
        "VPCLatticeV2Resolver",
        "BedrockAgentResolver",
    ):
        for mod in (
            "aws_lambda_powertools.event_handler",
            "aws_lambda_powertools.event_handler.api_gateway",
            "aws_lambda_powertools.event_handler.lambda_function_url",
            "aws_lambda_powertools.event_handler.vpc_lattice",
        ):
            calls[f"{mod}.{name}"] = c.CallSpec(returns="powertools.resolver", opaque=True)
    for mod in (
        "aws_lambda_powertools.event_handler.router",
        "aws_lambda_powertools.event_handler.api_gateway",
    ):
        calls[f"{mod}.Router"] = c.CallSpec(returns="powertools.router", opaque=True)
        calls[f"{mod}.APIRouter"] = c.CallSpec(returns="powertools.router", opaque=True)
    calls["powertools.resolver.resolve"] = c.CallSpec(router="powertools")
    calls["chalice.Chalice"] = c.CallSpec(returns="chalice.app", opaque=True)
    calls["chalice.app.Chalice"] = calls["chalice.Chalice"]
    calls["chalice.Blueprint"] = c.CallSpec(returns="chalice.blueprint", opaque=True)
    calls["flask.Flask"] = c.CallSpec(returns="flask.app", opaque=True)
    calls["flask.Blueprint"] = c.CallSpec(returns="flask.blueprint", opaque=True)
    calls["fastapi.FastAPI"] = c.CallSpec(returns="fastapi.app", opaque=True)
    calls["fastapi.APIRouter"] = c.CallSpec(returns="fastapi.router", opaque=True)
    calls["mangum.Mangum"] = c.CallSpec(returns="adapter.asgi", opaque=True)
    calls["adapter.asgi.__call__"] = c.CallSpec(router="asgi")
    for name in (
        "awsgi.response",
        "serverless_wsgi.handle_request",
        "aws_wsgi.response",
        "apig_wsgi.make_lambda_handler",
    ):
        calls[name] = c.CallSpec(router="wsgi", returns="adapter.wsgi")
    calls["adapter.wsgi.__call__"] = c.CallSpec(router="wsgi")
    for name in ("traceback.format_exc", "traceback.format_exception", "traceback.format_tb", "sys.exc_info"):
        calls[name] = c.CallSpec(source="a traceback", source_kind="exception")
    return calls


def _build_methods() -> dict[str, c.CallSpec]:
    m: dict[str, c.CallSpec] = {}
    m["get_object"] = c.CallSpec(source="an S3 object")
    m["get_item"] = c.CallSpec(source="a DynamoDB item")
    m["batch_get_item"] = c.CallSpec(source="a DynamoDB item")
    m["execute_statement"] = c.CallSpec(
        sinks=(
            c.Sink(c.SQL, _partiql, "execute_statement() (PartiQL)"),
            c.Sink(c.SQL, _sql_statement, "execute_statement()"),
        )
    )
    m["start_query_execution"] = _sink(c.SQL, _sql_statement, "start_query_execution()")
    m["generate_presigned_url"] = c.CallSpec(opaque=True)  # an https URL to S3, key encoded
    m["generate_presigned_post"] = c.CallSpec(opaque=True)
    m["download_file"] = _sink(c.PATH, _download_target, "download_file() local path")
    m["upload_file"] = _sink(c.PATH, _upload_source, "upload_file() local path")
    for name in ("execute", "executemany", "executescript", "query", "raw", "execute_sql"):
        m[name] = _sink(c.SQL, _db_method, "")
    for name in ("info", "debug", "warning", "warn", "error", "critical", "exception"):
        m[name] = c.CallSpec(sinks=(c.Sink(c.LOG, _logger_call, ""),))
    for name in (
        "find",
        "find_one",
        "update_one",
        "update_many",
        "delete_one",
        "delete_many",
        "aggregate",
        "count_documents",
        "find_one_and_update",
        "find_one_and_delete",
    ):
        m[name] = c.CallSpec(
            sinks=(c.Sink(c.NOSQL, _mongo(fallback=True), f"{name}() (MongoDB query)", structured=True),)
        )
    return m


def _logger_call(view: c.CallView) -> list[V]:
    recv = view.call.func.obj if isinstance(view.call.func, ir.Attr) else None
    name = _expr_name(recv).lower() if recv is not None else ""
    if "log" not in name:
        return []
    return view.all_args()


def _on_dict(coll: ir.Coll, keys: list[V], values: list[V]) -> list[tuple[str, str, int, V]]:
    out: list[tuple[str, str, int, V]] = []
    assert coll.keys is not None
    names = [k.value if isinstance(k, ir.Const) and isinstance(k.value, str) else None for k in coll.keys]
    lowered = [n.lower() if n else None for n in names]
    for i, n in enumerate(lowered):
        if n == "access-control-allow-origin" and values[i].atoms:
            out.append((c.CORS, "the Access-Control-Allow-Origin header", coll.items[i].line, values[i]))
        elif n == "$where" and values[i].atoms:
            out.append((c.NOSQL, "a MongoDB $where", coll.items[i].line, values[i]))
    if "body" in lowered and "headers" in lowered:
        headers = coll.items[lowered.index("headers")]
        if isinstance(headers, ir.Coll) and _html_header(headers):
            i = lowered.index("body")
            v = _strings(values[i])
            if v.atoms:
                out.append((c.XSS, "a text/html response body", coll.items[i].line, v))
    return out


def _on_key_store(key: str, value: V, line: int) -> list[tuple[str, str, int, V]]:
    if key.lower() == "access-control-allow-origin":
        return [(c.CORS, "the Access-Control-Allow-Origin header", line, value)]
    return []


_ACCESSORS: dict[str, tuple[tuple[str, ...], tuple[int, str] | None]] = {
    "get": ((), (0, "key")),
    "pop": ((), (0, "key")),
    "setdefault": ((), (0, "key")),
    "getlist": ((), (0, "key")),
    "getone": ((), (0, "key")),
    "get_query_string_value": (("queryStringParameters",), (0, "name")),
    "get_multi_value_query_string_values": (("multiValueQueryStringParameters",), (0, "name")),
    "get_header_value": (("headers",), (0, "name")),
    "get_json": (("json",), None),
    "get_data": (("data",), None),
    "json": (("json",), None),
    "body": (("body",), None),
    "form": (("form",), None),
    "data_as_text": (("data",), None),
    "data_as_json": (("data",), None),
}

_OPAQUE_METHODS = frozenset(
    {
        "startswith",
        "endswith",
        "isdigit",
        "isnumeric",
        "isdecimal",
        "isalnum",
        "isalpha",
        "isidentifier",
        "islower",
        "isupper",
        "isspace",
        "count",
        "find",
        "rfind",
        "index",
        "rindex",
        "hexdigest",
        "digest",
        "is_relative_to",
        "exists",
        "is_file",
        "is_dir",
        "__len__",
        "bit_length",
        "total_seconds",
        "timestamp",
    }
)

_GUARD_METHODS: dict[str, frozenset[str]] = {
    "isdigit": ALL,
    "isnumeric": ALL,
    "isdecimal": ALL,
    "isalnum": ALL,
    "isalpha": ALL,
    "isidentifier": ALL,
    "startswith": frozenset({c.PATH}),
    "is_relative_to": frozenset({c.PATH}),
}
_GUARD_CALLS: dict[str, frozenset[str]] = {
    "re.fullmatch": ALL,
    "re.match": ALL,
    "isinstance": ALL,
    "validators.url": frozenset(),
}

_BUILTINS = frozenset(
    {
        "open",
        "eval",
        "exec",
        "compile",
        "__import__",
        "print",
        "int",
        "float",
        "bool",
        "len",
        "abs",
        "round",
        "hash",
        "id",
        "ord",
        "isinstance",
        "issubclass",
        "hasattr",
        "callable",
        "range",
        "str",
        "map",
        "filter",
        "type",
        "execfile",
    }
)


def _replace_sanitises(view: c.CallView) -> frozenset[str]:
    old, new = view.const(0), view.const(1)
    if isinstance(old, str) and isinstance(new, str) and old in ("/", "\\", "..") and "/" not in new:
        return frozenset({c.PATH})
    return frozenset()


def _split_sanitises(view: c.CallView) -> frozenset[str]:
    sep = view.const(0, "sep")
    return frozenset({c.PATH}) if sep == "/" else frozenset()


@cache
def python_catalog() -> c.Catalog:
    return c.Catalog(
        language="python",
        calls=_build_calls(),
        methods=_build_methods(),
        accessors=_ACCESSORS,
        ambient_attrs=frozenset(
            {
                ("powertools.resolver", "current_event"),
                ("powertools.router", "current_event"),
                ("chalice.app", "current_request"),
                ("chalice.blueprint", "current_request"),
            }
        ),
        ambient_names=frozenset({"flask.request", "quart.request", "werkzeug.local.request"}),
        opaque_methods=_OPAQUE_METHODS,
        guard_methods=_GUARD_METHODS,
        guard_calls=_GUARD_CALLS,
        builtins=_BUILTINS,
        on_dict=_on_dict,
        on_key_store=_on_key_store,
        type_members={"mongo.client": "mongo.collection", "mongo.collection": "mongo.collection"},
        method_sanitisers={
            "replace": _replace_sanitises,
            "split": _split_sanitises,
            "rsplit": _split_sanitises,
            "rpartition": _split_sanitises,
        },
        broad_exceptions=frozenset(
            {
                "Exception",
                "BaseException",
                "ClientError",
                "BotoCoreError",
                "Error",
                "DatabaseError",
                "OperationalError",
                "ProgrammingError",
                "InternalError",
                "InterfaceError",
                "SQLAlchemyError",
                "PyMongoError",
                "RequestException",
                "HTTPError",
                "OSError",
                "IOError",
            }
        ),
        validated_bases=frozenset(
            {
                "pydantic.BaseModel",
                "aws_lambda_powertools.utilities.parser.BaseModel",
                "marshmallow.Schema",
                "pydantic.dataclasses.dataclass",
            }
        ),
        http_errors=frozenset(
            {
                "HTTPException",
                "BadRequestError",
                "InternalServerError",
                "NotFoundError",
                "UnauthorizedError",
                "ServiceError",
                "ChaliceViewError",
                "ForbiddenError",
            }
        ),
    )


# Modules whose presence makes `.execute(...)` a database call.
SQL_MODULES = frozenset(
    {
        "sqlite3",
        "pymysql",
        "psycopg2",
        "psycopg",
        "mysql",
        "pg8000",
        "sqlalchemy",
        "aiomysql",
        "asyncpg",
        "redshift_connector",
        "snowflake",
        "cx_Oracle",
        "oracledb",
        "pyodbc",
        "duckdb",
        "pymssql",
        "MySQLdb",
        "aurora_data_api",
        "databases",
        "sqlite_utils",
        "records",
        "dataset",
        "peewee",
        "pony",
        "pyathena",
        "pydal",
    }
)
MONGO_MODULES = frozenset({"pymongo", "motor", "mongoengine"})
