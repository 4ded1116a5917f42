"""Event injection: attacker-controlled event data that reaches a dangerous sink in function code.

One rule per sink family. Each reads the code analysis (faasguard.analysis.code): flows from a
trigger's attacker-controlled event fields (or a router's request, or data read back from S3,
DynamoDB or a third-party service) through the handler and its helpers to the sink. A finding
points at the sink; `related` lists the trigger, where the field is read and each step between.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from faasguard.analysis.code import catalog as fam
from faasguard.analysis.code.analyse import Flow, code_facts
from faasguard.findings import Category, Severity
from faasguard.model import Application
from faasguard.rules.base import RelatedStep, Rule, RuleMeta, Violation

_UP = {
    Severity.INFO: Severity.LOW,
    Severity.LOW: Severity.MEDIUM,
    Severity.MEDIUM: Severity.HIGH,
    Severity.HIGH: Severity.CRITICAL,
    Severity.CRITICAL: Severity.CRITICAL,
}
_DOWN = {
    Severity.CRITICAL: Severity.HIGH,
    Severity.HIGH: Severity.MEDIUM,
    Severity.MEDIUM: Severity.LOW,
    Severity.LOW: Severity.INFO,
    Severity.INFO: Severity.INFO,
}


def flow_severity(base: Severity, flow: Flow) -> Severity:
    """Public and unauthenticated: one step up; second-order data: one step down."""
    if flow.source_kind == "second-order":
        return _DOWN[base]
    exp = flow.exposure
    if exp is not None and exp.public and exp.authenticated is False:
        return _UP[base]
    return base


def exposure_words(flow: Flow) -> str:
    exp = flow.exposure
    if flow.source_kind == "second-order":
        return " (second-order data)"
    if exp is None:
        return " (from any invoker: no trigger in the template)" if flow.source_kind == "event" else ""
    if exp.public and exp.authenticated is False:
        return f" (from {exp.label}: public, no authentication)"
    if exp.public and exp.authenticated is None:
        return f" (from {exp.label}: public)"
    return f" (from {exp.label})"


def flow_related(flow: Flow) -> tuple[RelatedStep, ...]:
    out: list[RelatedStep] = []
    exp = flow.exposure
    if exp is not None and exp.source is not None:
        out.append(RelatedStep(exp.source, f"trigger: {exp.label}"))
    if flow.source_ref is not None:
        what = "read here" if flow.source_kind in ("event", "request") else "comes from here"
        out.append(RelatedStep(flow.source_ref, f"source: {flow.field} {what}"))
    for step in flow.steps:
        out.append(RelatedStep(step.source, step.message))
    return tuple(out)


def flow_extra(flow: Flow) -> dict[str, object]:
    exp = flow.exposure
    return {
        "confidence": flow.confidence,
        "source": flow.field,
        "source_kind": flow.source_kind,
        "sink": flow.sink,
        "entry": flow.entry,
        "trigger": exp.kind if exp is not None else None,
        "public": bool(exp is not None and exp.public),
        "authenticated": exp.authenticated if exp is not None else None,
    }


class _InjectionRule(Rule):
    family: ClassVar[str]
    what: ClassVar[str]

    def check(self, app: Application) -> Iterator[Violation]:
        code = code_facts(self.facts, app)
        for flow in code.flows(self.family):
            where = f"{flow.sink_ref.path}:{flow.sink_ref.line}"
            yield Violation(
                flow.sink_ref,
                f"{flow.field}{exposure_words(flow)} reaches {flow.sink} in {where} ({self.what})",
                resource=flow.function,
                severity=flow_severity(self.meta.severity, flow),
                related=flow_related(flow),
                extra=flow_extra(flow),
                snippet=f"{flow.function} {self.family} {flow.field} {flow.sink} {flow.sink_ref.path}",
            )


_SOURCES_DOC = """
    Sources are the attacker-controlled parts of each trigger's event, as the template defines
    the trigger: API Gateway (REST, HTTP, WebSocket), Function URL and ALB requests (body, query
    string, path parameters, headers, cookies, raw path), S3 object keys, SQS and SNS message
    bodies and attributes, DynamoDB and Kinesis stream records, EventBridge `detail`, Cognito
    trigger attributes; the request objects of in-code routers (Powertools `app.current_event`,
    Chalice `app.current_request`, Flask / FastAPI requests behind Mangum or a WSGI adapter;
    Express, Koa and Fastify `req` / `ctx` behind serverless-http or serverless-express) and
    their route parameters. Python, JavaScript and TypeScript handlers are analysed alike.
    Data read back from S3, DynamoDB or a third-party HTTP service is a second-order source
    (severity one step lower). Flows cross assignments, containers, string building, JSON /
    base64 / URL decoding, promises and closures, and calls into helpers of the function's code
    folder. The severity rises one step when the trigger is public and unauthenticated;
    `extra.confidence` says how sure the flow is.
"""


class CommandInjection(_InjectionRule):
    """## What it does
    Flags event data that reaches an operating-system command: `os.system`, `os.popen`,
    `subprocess.*` with a command string and `shell=True` (or an argv whose program the caller
    picks), `os.exec*` / `os.spawn*`.
    {sources}
    ## Why is this bad?
    The caller runs any command they like inside the function, with its role's permissions:
    read the environment (credentials included), reach every resource the role allows.

    ## Example
    ```python
    def handler(event, context):
        name = event["queryStringParameters"]["file"]
        subprocess.run(f"convert {name} out.png", shell=True)
    ```

    ## Use instead
    ```python
    subprocess.run(["convert", name, "out.png"], check=True)   # no shell
    # or, when a shell is unavoidable: shlex.quote(name)
    ```

    ## References
    - https://owasp.org/www-community/attacks/Command_Injection
    - https://docs.python.org/3/library/subprocess.html#security-considerations
    """

    family = fam.COMMAND
    what = "command injection"
    meta = RuleMeta(
        id="FG-INJ-001",
        category=Category.EVENT_INJECTION,
        severity=Severity.HIGH,
        title="Event data reaches an OS command",
        cwe=(78,),
        remediation={
            "python": "Pass an argument list to `subprocess.run` without `shell=True`; quote with "
            "`shlex.quote` when a shell is unavoidable; allow-list the values.",
            "javascript": "Use `child_process.execFile` / `spawn` with an argument array, never `exec` "
            "with a built string.",
        },
    )


class CodeInjection(_InjectionRule):
    """## What it does
    Flags event data that reaches code evaluation: `eval`, `exec`, `compile`, `__import__` /
    `importlib.import_module`, and templates compiled from request text (`jinja2.Template`,
    `render_template_string`: server-side template injection).
    {sources}
    ## Why is this bad?
    The caller's text runs as code inside the function: full control of the function, its
    credentials and everything its role can reach.

    ## Example
    ```python
    total = eval(event["queryStringParameters"]["expr"])
    ```

    ## Use instead
    ```python
    import ast
    total = ast.literal_eval(expr)      # literals only; or parse the expression yourself
    ```

    ## References
    - https://owasp.org/www-community/attacks/Code_Injection
    """

    family = fam.CODE
    what = "code injection"
    meta = RuleMeta(
        id="FG-INJ-002",
        category=Category.EVENT_INJECTION,
        severity=Severity.HIGH,
        title="Event data reaches code evaluation",
        cwe=(94, 95),
        remediation={
            "python": "Never evaluate request text: use `ast.literal_eval`, `json.loads`, or a fixed "
            "mapping of allowed operations; render templates from files, passing data as variables.",
            "javascript": "Never pass request text to `eval`, `new Function` or `vm`; use `JSON.parse` "
            "or a fixed mapping of allowed operations.",
        },
    )


class UnsafeDeserialisation(_InjectionRule):
    """## What it does
    Flags event data that reaches a deserialiser that can build arbitrary objects: `pickle` /
    `dill` / `cloudpickle` / `joblib`, `marshal`, `shelve`, `jsonpickle.decode`, `yaml.load`
    without a safe loader, `numpy.load(allow_pickle=True)`.
    {sources}
    ## Why is this bad?
    Unpickling (or loading YAML with Python tags) runs code chosen by whoever wrote the bytes.

    ## Example
    ```python
    job = pickle.loads(base64.b64decode(event["body"]))
    ```

    ## Use instead
    ```python
    job = json.loads(event["body"])          # data only
    config = yaml.safe_load(text)
    ```

    ## References
    - https://docs.python.org/3/library/pickle.html (the warning at the top)
    - https://cwe.mitre.org/data/definitions/502.html
    """

    family = fam.DESERIALISE
    what = "unsafe deserialisation"
    meta = RuleMeta(
        id="FG-INJ-003",
        category=Category.EVENT_INJECTION,
        severity=Severity.HIGH,
        title="Event data reaches an unsafe deserialiser",
        cwe=(502,),
        remediation={
            "python": "Use `json` for data from outside, `yaml.safe_load` for YAML; never unpickle "
            "bytes a caller can influence.",
            "javascript": "Use `JSON.parse`; never `node-serialize` / `serialize-javascript` "
            "`unserialize` on request data.",
        },
    )


class QueryInjection(_InjectionRule):
    """## What it does
    Flags event data built into database query text: DB-API `execute` with a query string
    made from request values, SQLAlchemy `text()`, DynamoDB PartiQL `execute_statement`, RDS /
    Redshift Data API and Athena SQL, DynamoDB `FilterExpression` / `KeyConditionExpression`
    strings or whole `ScanFilter` maps from the request, and MongoDB query documents or `$where`
    built from JSON body fields.
    {sources}
    ## Why is this bad?
    The caller rewrites the query: reads other tenants' rows, bypasses login checks, deletes
    tables. In a NoSQL query, a JSON object where a string was expected (`{{"$ne": null}}`)
    changes the operator.

    ## Example
    ```python
    cur.execute(f"SELECT * FROM users WHERE name = '{{name}}'")
    ```

    ## Use instead
    ```python
    cur.execute("SELECT * FROM users WHERE name = %s", (name,))
    table.query(KeyConditionExpression=Key("pk").eq(name))
    ```

    ## References
    - https://cheatsheetseries.owasp.org/cheatsheets/Query_Parameterization_Cheat_Sheet.html
    - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
    """

    family = fam.SQL
    what = "SQL injection"
    meta = RuleMeta(
        id="FG-INJ-004",
        category=Category.EVENT_INJECTION,
        severity=Severity.HIGH,
        title="Event data reaches a database query",
        cwe=(89, 943),
        remediation={
            "python": "Use parameters (`execute(sql, params)`, PartiQL `Parameters=[...]`, SQLAlchemy "
            "bind parameters, boto3 `Key(...).eq(value)` conditions); cast values to `str` / `int` "
            "before putting them into a MongoDB query.",
            "javascript": "Use parameterised queries and PartiQL `Parameters`; cast values before "
            "building MongoDB filters.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        code = code_facts(self.facts, app)
        for family, what in ((fam.SQL, "SQL injection"), (fam.NOSQL, "NoSQL injection")):
            for flow in code.flows(family):
                where = f"{flow.sink_ref.path}:{flow.sink_ref.line}"
                yield Violation(
                    flow.sink_ref,
                    f"{flow.field}{exposure_words(flow)} reaches {flow.sink} in {where} ({what})",
                    resource=flow.function,
                    severity=flow_severity(self.meta.severity, flow),
                    related=flow_related(flow),
                    extra=flow_extra(flow),
                    snippet=f"{flow.function} {family} {flow.field} {flow.sink} {flow.sink_ref.path}",
                )


class PathTraversal(_InjectionRule):
    """## What it does
    Flags event data used as a file path: `open`, `os.path.join(...)` then `open`, `pathlib`
    reads and writes, `os.remove` / `listdir` / `shutil.*`, Flask `send_file`, `FileResponse`,
    the local path of S3 `download_file` / `upload_file`, archive openers.
    {sources}
    ## Why is this bad?
    `../` in the value walks out of the intended folder: the caller reads `/proc/self/environ`
    (the function's credentials), the deployment package, or overwrites files in `/tmp` that
    later invocations trust (local file inclusion).

    ## Example
    ```python
    key = event["Records"][0]["s3"]["object"]["key"]
    s3.download_file(bucket, key, f"/tmp/{{key}}")
    ```

    ## Use instead
    ```python
    local = os.path.join("/tmp", os.path.basename(key))
    # or: resolve the path and check it stays inside the base folder
    ```

    ## References
    - https://owasp.org/www-community/attacks/Path_Traversal
    """

    family = fam.PATH
    what = "path traversal"
    meta = RuleMeta(
        id="FG-INJ-005",
        category=Category.EVENT_INJECTION,
        severity=Severity.HIGH,
        title="Event data reaches a file path",
        cwe=(22, 98),
        remediation={
            "python": "Keep only the file name (`os.path.basename`, `secure_filename`), or resolve "
            "the path (`os.path.realpath`) and check it starts with the base folder.",
            "javascript": "Use `path.basename`, or `path.resolve` and check the result starts with "
            "the base folder.",
        },
    )


class ServerSideRequestForgery(_InjectionRule):
    """## What it does
    Flags event data that chooses the target of an outbound request: `requests` / `httpx` /
    `aiohttp` / `urllib3` calls, `urllib.request.urlopen`, `http.client` connections, raw
    sockets. A URL whose scheme and host are fixed in the code (`f"https://api.example.com/{{id}}"`)
    is not reported.
    {sources}
    ## Why is this bad?
    The function fetches what the caller asks for from inside the AWS network: internal
    services, the Lambda runtime API, other VPC hosts, and it exfiltrates the response.

    ## Example
    ```python
    requests.get(event["queryStringParameters"]["url"], timeout=5)
    ```

    ## Use instead
    ```python
    url = event["queryStringParameters"]["url"]
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        return {{"statusCode": 400}}
    ```

    ## References
    - https://owasp.org/www-community/attacks/Server_Side_Request_Forgery
    """

    family = fam.SSRF
    what = "server-side request forgery"
    meta = RuleMeta(
        id="FG-INJ-006",
        category=Category.EVENT_INJECTION,
        severity=Severity.HIGH,
        title="Event data chooses an outbound request's target",
        cwe=(918,),
        remediation={
            "python": "Fix the scheme and host in code and let the caller choose only a path part "
            "(quoted), or check the parsed host against an allow-list.",
            "javascript": "Fix the host in code, or check `new URL(u).hostname` against an allow-list.",
        },
    )


class CrossSiteScripting(_InjectionRule):
    """## What it does
    Flags event data written unescaped into an HTML response: a Lambda proxy response with a
    `text/html` `Content-Type`, Flask routes returning strings (served as HTML), `Response` /
    `make_response` / `HTMLResponse` / Powertools and Chalice responses with an HTML content type,
    `Markup(...)` of request text.
    {sources}
    ## Why is this bad?
    The caller's markup runs in the browser of whoever opens the page (reflected or, from a
    stored second-order source, stored XSS): sessions and tokens of your users are theirs.

    ## Example
    ```python
    return {{"statusCode": 200, "headers": {{"Content-Type": "text/html"}},
            "body": f"<h1>Hello {{name}}</h1>"}}
    ```

    ## Use instead
    ```python
    "body": f"<h1>Hello {{html.escape(name)}}</h1>"     # or render with an autoescaping template
    ```

    ## References
    - https://owasp.org/www-community/attacks/xss/
    """

    family = fam.XSS
    what = "cross-site scripting"
    meta = RuleMeta(
        id="FG-INJ-007",
        category=Category.EVENT_INJECTION,
        severity=Severity.MEDIUM,
        title="Event data reaches an HTML response",
        cwe=(79,),
        remediation={
            "python": "Escape with `html.escape` / `markupsafe.escape`, or render through an "
            "autoescaping template; return JSON instead of HTML where you can.",
            "javascript": "Escape HTML (or use a templating engine that escapes by default); return "
            "JSON where you can.",
        },
    )


class XmlExternalEntities(_InjectionRule):
    """## What it does
    Flags event data parsed as XML by a parser that resolves entities: lxml parsers (unless
    created with `resolve_entities=False`), and standard-library parsers in a module that turns
    on external general entities (`feature_external_ges`) or builds entity-resolving parsers.
    {sources}
    ## Why is this bad?
    A `<!ENTITY x SYSTEM "file:///proc/self/environ">` in the caller's XML reads local files
    (the function's credentials) or makes the function fetch internal URLs.

    ## Example
    ```python
    doc = etree.fromstring(event["body"], etree.XMLParser(resolve_entities=True))
    ```

    ## Use instead
    ```python
    import defusedxml.ElementTree as ET
    doc = ET.fromstring(event["body"])
    ```

    ## References
    - https://owasp.org/www-community/vulnerabilities/XML_External_Entity_(XXE)_Processing
    - https://docs.python.org/3/library/xml.html#xml-vulnerabilities
    """

    family = fam.XXE
    what = "XML external entities"
    meta = RuleMeta(
        id="FG-INJ-008",
        category=Category.EVENT_INJECTION,
        severity=Severity.HIGH,
        title="Event data parsed by an XML parser that resolves entities",
        cwe=(611,),
        remediation={
            "python": "Parse with `defusedxml`, or create lxml parsers with "
            "`resolve_entities=False, no_network=True`.",
            "javascript": "Use a parser with external entities off (libxmljs `noent: false`, "
            "fast-xml-parser).",
        },
    )


class PrototypePollution(_InjectionRule):
    """## What it does
    Flags a JSON object from the event merged deeply into another object (`_.merge`,
    `_.mergeWith`, `_.defaultsDeep`, `deep-extend`, `merge-deep`, `mixin-deep`, jQuery-style
    `extend(true, ...)`, or a hand-written recursive merge without a `__proto__` /
    `constructor` check), and a caller-chosen property path given to a path setter (`_.set`,
    `_.setWith`, `dot-prop`, `object-path`, `set-value`). Only parsed request bodies and messages
    count for merges: a query-string value is a string and cannot carry `__proto__` keys.
    {sources}
    ## Why is this bad?
    `{{"__proto__": {{"isAdmin": true}}}}` in the body writes to `Object.prototype`: every object
    of the warm Lambda environment now has `isAdmin`, so later authorisation checks pass, options
    change, and crafted properties reach `child_process` or template options (remote code
    execution). The pollution outlives the request: it stays for every invocation the container
    serves.

    ## Example
    ```javascript
    const settings = _.merge({{}}, DEFAULTS, JSON.parse(event.body));
    ```

    ## Use instead
    ```javascript
    const input = schema.parse(JSON.parse(event.body));     // zod / joi / ajv: known keys only
    const settings = {{ ...DEFAULTS, theme: input.theme }};   // or merge into Object.create(null)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/1321.html
    - https://github.com/HoLyVieR/prototype-pollution-nsec18 (the original research paper)
    """

    family = fam.PROTO
    what = "prototype pollution"
    meta = RuleMeta(
        id="FG-INJ-009",
        category=Category.EVENT_INJECTION,
        severity=Severity.HIGH,
        title="Event data merged deeply into objects (prototype pollution)",
        cwe=(1321, 915),
        remediation={
            "javascript": "Validate the body against a schema (zod, joi, ajv with "
            "`additionalProperties: false`) before merging; copy the known fields instead of deep "
            "merging; skip `__proto__`, `constructor` and `prototype` keys in hand-written merges; "
            "keep lodash >= 4.17.21; merge into `Object.create(null)` when you must.",
        },
    )


for _cls in (
    CommandInjection,
    CodeInjection,
    UnsafeDeserialisation,
    QueryInjection,
    PathTraversal,
    ServerSideRequestForgery,
    CrossSiteScripting,
    XmlExternalEntities,
    PrototypePollution,
):
    _cls.__doc__ = (
        (_cls.__doc__ or "").replace("{sources}", _SOURCES_DOC).replace("{{", "{").replace("}}", "}")
    )
