"""Checks on function code beyond injection: authentication, secrets, transport, code quality.

Each rule reads the code analysis of the application (faasguard.analysis.code), computed once
per scan: data flows for the checks that need them (authorisation on caller-supplied fields,
reflected CORS origins, exception text returned, whole events logged) and code facts for the
rest (TLS verification off, JWTs decoded without verification, literals that look like secrets,
weak randomness and hashes, swallowed exceptions, granularity and package hygiene).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from faasguard.analysis.code import catalog as fam
from faasguard.analysis.code.analyse import AppCode, CodeFact, Flow, code_facts
from faasguard.analysis.code.settings import code_settings
from faasguard.analysis.code.taint import AUTHZ
from faasguard.findings import Category, Severity
from faasguard.loaders.reader import ReadFailure, read_bytes
from faasguard.model import Application, SourceRef
from faasguard.rules.base import Rule, RuleMeta, Violation
from faasguard.rules.event_injection import exposure_words, flow_extra, flow_related, flow_severity
from faasguard.rules.insecure_transport import plain_http_hosts
from faasguard.rules.sensitive_data import looks_like_secret, secret_name, token_shape


def _unique_facts(code: AppCode, kind: str) -> Iterator[tuple[CodeFact, list[str]]]:
    """Each fact once per place, with every function whose code holds it (shared modules)."""
    by_place: dict[tuple[SourceRef, str], tuple[CodeFact, list[str]]] = {}
    for fact in code.facts(kind):
        entry = by_place.setdefault((fact.source, fact.detail), (fact, []))
        if fact.function not in entry[1]:
            entry[1].append(fact.function)
    yield from by_place.values()


def _whose(functions: list[str]) -> str:
    if len(functions) == 1:
        return functions[0]
    more = len(functions) - 1
    return f"{functions[0]} (and {more} more function{'s' if more > 1 else ''})"


def _flow_violations(rule: Rule, flows: Iterable[Flow], message: str) -> Iterator[Violation]:
    for flow in flows:
        where = f"{flow.sink_ref.path}:{flow.sink_ref.line}"
        yield Violation(
            flow.sink_ref,
            message.format(field=flow.field, exposure=exposure_words(flow), where=where, sink=flow.sink),
            resource=flow.function,
            severity=flow_severity(rule.meta.severity, flow),
            related=flow_related(flow),
            extra=flow_extra(flow),
            snippet=f"{flow.function} {rule.meta.id} {flow.field} {flow.sink_ref.path}",
        )


# --- broken authentication -----------------------------------------------------------------------


class AuthorisationOnClientData(Rule):
    """## What it does
    Flags an authorisation decision taken on a value the caller chooses: a comparison or truth
    test of a role, group, admin flag or access level read from the request body, query string,
    headers or another attacker-controlled event field (`if body["authLevel"] == "admin"`,
    `if event["headers"].get("x-role") in ADMINS`), and an ownership check that compares a stored
    record with an identity the caller sends (`if order["owner"] != body["userId"]`). Claims that
    API Gateway's authorizer put in `requestContext.authorizer` are trusted and not reported.

    ## Why is this bad?
    Whoever calls the function claims the role they want: a client-sent admin flag is a
    privilege escalation for anyone who edits the request (insecure direct object reference and
    broken access control).

    ## Example
    ```python
    body = json.loads(event["body"])
    if body["role"] == "admin":
        delete_user(body["user"])
    ```

    ## Use instead
    ```python
    claims = event["requestContext"]["authorizer"]["claims"]   # verified by the authorizer
    if "admins" in claims.get("cognito:groups", ""):
        delete_user(body["user"])
    ```

    ## References
    - https://owasp.org/Top10/A01_2021-Broken_Access_Control/
    - https://cwe.mitre.org/data/definitions/807.html
    """

    meta = RuleMeta(
        id="FG-AUTH-008",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.HIGH,
        title="Authorisation decided on caller-supplied data",
        cwe=(639, 807),
        remediation={
            "python": "Take roles and identities from the verified authorizer context "
            "(`requestContext.authorizer`) or a token you verify, never from the request body, "
            "query string or headers.",
            "javascript": "Read roles from `event.requestContext.authorizer` (or a verified token), "
            "never from the body, query string or headers.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        yield from _flow_violations(
            self,
            code_facts(self.facts, app).flows(AUTHZ),
            "Authorisation check in {where} decides on {field}{exposure}, a value the caller chooses",
        )


class JwtWithoutVerification(Rule):
    """## What it does
    Flags JSON Web Tokens read without checking their signature: PyJWT `decode` with
    `options={"verify_signature": False}` or `verify=False`, `algorithms=["none"]`, python-jose
    `get_unverified_claims`; in JavaScript / TypeScript `jsonwebtoken.decode`, `jwt-decode`,
    jose `decodeJwt` (unless the module verifies the token too) and `jwt.verify` allowing
    `algorithms: ["none"]`. Also payloads decoded by hand in either language: a token split on
    `"."` whose element 1 (the payload; `parts[1]`, `token.split(".")[1]`,
    `_, payload, _ = token.split(".")`, `const [, payload] = ...`) reaches a base64 decoder
    (`base64.b64decode` / `urlsafe_b64decode`, `atob`, `Buffer.from(s, "base64url")`,
    `base64url.decode`, node-jose `jose.util.base64url.decode`), reported once per function and
    segment, and not when the same function verifies the token (reading the header segment
    `[0]` for `kid` / `alg` is never flagged). When every route of the function has an API
    Gateway authorizer that verifies the token first, the finding is low.

    ## Why is this bad?
    Anyone can write a token with any claims (`"role": "admin"`, another user's `sub`); without
    the signature check the function believes them.

    ## Example
    ```python
    claims = jwt.decode(token, options={"verify_signature": False})
    ```

    ## Use instead
    ```python
    claims = jwt.decode(token, key=signing_key, algorithms=["RS256"], audience=CLIENT_ID)
    ```

    ## References
    - https://pyjwt.readthedocs.io/en/stable/usage.html
    - https://cwe.mitre.org/data/definitions/347.html
    """

    meta = RuleMeta(
        id="FG-AUTH-009",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.HIGH,
        title="JWT decoded without signature verification",
        cwe=(347, 345),
        remediation={
            "python": "Verify the signature: `jwt.decode(token, key, algorithms=[...], audience=...)` "
            "with the issuer's keys (PyJWKClient for Cognito / OIDC); never accept `none`.",
            "javascript": "Use `jwt.verify` (or aws-jwt-verify), never `jwt.decode`, to read claims.",
            "sam": "Put a JWT / Cognito authorizer on the route so API Gateway verifies the token.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        code = code_facts(self.facts, app)
        for fact, fns in _unique_facts(code, "jwt-unverified"):
            verified_upstream = all(
                (routes := app.routes_of(f)) and all(r.auth.authenticates for r in routes) for f in fns
            )
            note = " (the API's authorizer verifies it first)" if verified_upstream else ""
            yield Violation(
                fact.source,
                f"JWT read without verifying its signature: {fact.detail} in "
                f"{fact.source.path}:{fact.source.line}, code of {_whose(fns)}{note}",
                resource=fns[0],
                severity=Severity.LOW if verified_upstream else None,
                snippet=f"jwt {fact.source.path} {fact.detail}",
            )


class ReflectedCorsOrigin(Rule):
    """## What it does
    Flags an `Access-Control-Allow-Origin` response header whose value comes from the request
    (usually the `Origin` header echoed back) without an allow-list check.

    ## Why is this bad?
    Echoing the origin allows every site on the internet, and with credentials allowed, any page
    a user visits can call the API as that user and read the answers.

    ## Example
    ```python
    origin = event["headers"].get("origin")
    return {"statusCode": 200, "headers": {"Access-Control-Allow-Origin": origin}, "body": data}
    ```

    ## Use instead
    ```python
    allowed = origin if origin in ALLOWED_ORIGINS else "https://app.example.com"
    ```

    ## References
    - https://portswigger.net/web-security/cors
    - https://cwe.mitre.org/data/definitions/942.html
    """

    meta = RuleMeta(
        id="FG-AUTH-010",
        category=Category.BROKEN_AUTHENTICATION,
        severity=Severity.MEDIUM,
        title="CORS origin reflected from the request",
        cwe=(942, 346),
        remediation={
            "python": "Answer with a fixed origin, or echo the request's origin only when it is in an "
            "allow-list.",
            "javascript": "Answer with a fixed origin, or echo the origin only after an allow-list check.",
            "sam": "Let API Gateway answer CORS (`Cors.AllowOrigin` with your sites).",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        yield from _flow_violations(
            self,
            code_facts(self.facts, app).flows(fam.CORS),
            "Access-Control-Allow-Origin echoes {field}{exposure} in {where}: every site may read the "
            "responses",
        )


# --- sensitive data ------------------------------------------------------------------------------


class HardcodedSecret(Rule):
    """## What it does
    Flags secrets written into function code: literals of well-known credential shapes (AWS
    access key ids, private key blocks, GitHub, Slack, Stripe, Google, SendGrid keys, JSON Web
    Tokens, URLs with a password) anywhere in the code, and literal values that look like a
    secret (long, varied, not a name or a placeholder) bound to a name that says it holds one
    (`password`, `api_key`, `SECRET`, `token`, dict keys and keyword arguments included). The
    secret is never repeated in the message.

    ## Why is this bad?
    The secret ships in the deployment package and sits in the repository's history: everyone
    with read access to either has it, and rotating it needs a code change.

    ## Example
    ```python
    STRIPE_KEY = "sk_live_..."
    ```

    ## Use instead
    ```python
    STRIPE_KEY = secrets_client.get_secret_value(SecretId=os.environ["STRIPE_SECRET_ARN"])["SecretString"]
    ```

    ## References
    - https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
    - https://cwe.mitre.org/data/definitions/798.html
    """

    meta = RuleMeta(
        id="FG-DATA-005",
        category=Category.SENSITIVE_DATA,
        severity=Severity.HIGH,
        title="Secret hard-coded in function code",
        cwe=(798,),
        remediation={
            "python": "Read the secret at run time from Secrets Manager or SSM SecureString (the "
            "Parameters and Secrets Lambda extension caches it), and rotate the exposed one.",
            "javascript": "Read the secret at run time from Secrets Manager / SSM, and rotate the "
            "exposed one.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        code = code_facts(self.facts, app)
        for fact, fns in _unique_facts(code, "secret-literal"):
            name = str(fact.data.get("name") or "")
            value = fact.data.get("value")
            if not isinstance(value, str):
                continue
            shape = token_shape(value)
            if shape is not None:
                what = f"{name} holds {shape}" if name else f"a literal holds {shape}"
            elif name and secret_name(name) and looks_like_secret(value):
                what = f"{name} holds a literal secret value"
            else:
                continue
            yield Violation(
                fact.source,
                f"Hard-coded secret in {fact.source.path}:{fact.source.line}: {what} (code of {_whose(fns)})",
                resource=fns[0],
                snippet=f"secret {fact.source.path} {name} {shape or ''}",
            )


class ExceptionDetailsReturned(Rule):
    """## What it does
    Flags exception text or a traceback sent back to the caller: `str(e)`, `repr(e)`,
    `traceback.format_exc()` in the response of an HTTP-triggered handler or route (in the body,
    a returned string, or a framework's HTTP error message); in JavaScript / TypeScript
    `err.message`, `err.stack` or the whole error in a proxy response, a `callback(null, ...)`
    response or Express `res.send` / `res.json`.

    ## Why is this bad?
    Error text tells an attacker about the code: file paths, library versions, SQL fragments,
    table names, sometimes values from the environment. It turns blind probing into a guided one.

    ## Example
    ```python
    except Exception as e:
        return {"statusCode": 500, "body": json.dumps({"error": str(e)})}
    ```

    ## Use instead
    ```python
    except Exception:
        logger.exception("order failed")
        return {"statusCode": 500, "body": json.dumps({"error": "internal error"})}
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/209.html
    """

    meta = RuleMeta(
        id="FG-DATA-006",
        category=Category.SENSITIVE_DATA,
        severity=Severity.MEDIUM,
        title="Exception details returned to the caller",
        cwe=(209,),
        remediation={
            "python": "Log the exception (`logger.exception`) and return a generic message with a "
            "correlation id.",
            "javascript": "Log the error and return a generic message; never `err.message` / "
            "`err.stack` in the response.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        code = code_facts(self.facts, app)
        for flow in code.flows(fam.LEAK):
            where = f"{flow.sink_ref.path}:{flow.sink_ref.line}"
            origin = f" from line {flow.source_ref.line}" if flow.source_ref is not None else ""
            yield Violation(
                flow.sink_ref,
                f"The response in {where} carries {flow.field}{origin}: error details reach the caller",
                resource=flow.function,
                related=flow_related(flow),
                extra={"entry": flow.entry},
                snippet=f"{flow.function} leak {flow.sink_ref.path}",
            )


class WholeEventLogged(Rule):
    """## What it does
    Flags a handler that writes the whole incoming event to its logs: `print(event)`,
    `logger.info(json.dumps(event))`, Powertools' `inject_lambda_context(log_event=True)`, or a
    router's whole request object; in JavaScript / TypeScript `console.log(JSON.stringify(event))`
    and Powertools' `injectLambdaContext(logger, { logEvent: true })`.

    ## Why is this bad?
    Events carry what callers send: passwords in bodies, tokens in `Authorization` headers,
    personal data. CloudWatch Logs keep it readable to everyone with log access, for as long as
    the retention allows (forever by default).

    ## Example
    ```python
    def handler(event, context):
        print(json.dumps(event))
    ```

    ## Use instead
    ```python
    logger.info("order received", extra={"order_id": body["id"]})   # the fields you need
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/532.html
    - https://docs.powertools.aws.dev/lambda/python/latest/core/logger/#logging-incoming-event
    """

    meta = RuleMeta(
        id="FG-DATA-007",
        category=Category.SENSITIVE_DATA,
        severity=Severity.LOW,
        title="Whole event written to the logs",
        cwe=(532,),
        remediation={
            "python": "Log the fields you need (never headers or bodies as a whole); keep "
            "`log_event` off outside debugging.",
            "javascript": "Log selected fields, not `JSON.stringify(event)`.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        code = code_facts(self.facts, app)
        for flow in code.flows(fam.LOG):
            where = f"{flow.sink_ref.path}:{flow.sink_ref.line}"
            yield Violation(
                flow.sink_ref,
                f"{flow.field[:1].upper()}{flow.field[1:]} of {flow.function} is written to the logs "
                f"by {flow.sink} in {where}",
                resource=flow.function,
                related=flow_related(flow),
                snippet=f"{flow.function} log {flow.sink_ref.path}",
            )
        for fact, fns in _unique_facts(code, "log-event"):
            yield Violation(
                fact.source,
                f"The whole event of {_whose(fns)} is written to the logs: {fact.detail} in "
                f"{fact.source.path}:{fact.source.line}",
                resource=fns[0],
                snippet=f"log-event {fact.source.path}",
            )


class PrivateKeyInPackage(Rule):
    """## What it does
    Flags private key files inside a function's code folder (and so in its deployment
    package): PEM / `.key` files holding a `PRIVATE KEY` block, SSH keys (`id_rsa`...), and
    PKCS#12 / Java keystores (`.p12`, `.pfx`, `.jks`).

    ## Why is this bad?
    Everyone who can download the function's code (`lambda:GetFunction`) or read the repository
    has the key, and it cannot be rotated without a redeploy.

    ## Example
    ```text
    src/
      app.py
      certs/client.key      <- deployed with the code
    ```

    ## Use instead
    Keep the key in Secrets Manager (or ACM / KMS for signing) and read it at run time; remove
    the file and rotate the key.

    ## References
    - https://cwe.mitre.org/data/definitions/321.html
    """

    meta = RuleMeta(
        id="FG-DATA-008",
        category=Category.SENSITIVE_DATA,
        severity=Severity.HIGH,
        title="Private key file in the function's code",
        cwe=(321, 798),
        remediation={
            "python": "Delete the file, rotate the key, and read it at run time from Secrets Manager.",
            "javascript": "Delete the file, rotate the key, and read it at run time from Secrets Manager.",
            "sam": "Exclude key files from `CodeUri` (or build with a clean artifact folder).",
        },
    )

    _BINARY = (".p12", ".pfx", ".jks", ".keystore")

    def check(self, app: Application) -> Iterator[Violation]:
        code = code_facts(self.facts, app)
        by_file: dict[str, list[str]] = {}
        for fc in code.functions.values():
            for rel in fc.key_files:
                by_file.setdefault(rel, []).append(fc.function)
        for rel, fns in sorted(by_file.items()):
            if not rel.lower().endswith(self._BINARY):
                try:
                    data = read_bytes(self.facts.root / rel, self.facts.root)
                except ReadFailure:
                    continue
                if b"PRIVATE KEY" not in data[:65536]:
                    continue
            yield Violation(
                SourceRef(rel, 1, 1),
                f"Private key file {rel} is in the code of {_whose(fns)}: it ships with the deployment "
                "package",
                resource=fns[0],
                snippet=f"keyfile {rel}",
            )


# --- insecure transport --------------------------------------------------------------------------


class TlsVerificationDisabled(Rule):
    """## What it does
    Flags code that turns TLS certificate checks off: `verify=False` on requests / httpx /
    boto3 clients, `ssl=False` / `verify_ssl=False` on aiohttp, `cert_reqs=CERT_NONE`,
    `ssl._create_unverified_context()`, `check_hostname = False`, `verify_mode = CERT_NONE`;
    in JavaScript / TypeScript `rejectUnauthorized: false` (https agents, database and HTTP client
    options), `strictSSL: false` and `NODE_TLS_REJECT_UNAUTHORIZED = "0"`.

    ## Why is this bad?
    Anyone on the network path can impersonate the server: read and change requests, responses
    and the credentials they carry.

    ## Example
    ```python
    requests.post(url, json=order, verify=False)
    ```

    ## Use instead
    ```python
    requests.post(url, json=order, timeout=5)          # or verify="/path/to/ca-bundle.pem"
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/295.html
    """

    meta = RuleMeta(
        id="FG-TLS-004",
        category=Category.INSECURE_TRANSPORT,
        severity=Severity.HIGH,
        title="TLS certificate verification disabled in code",
        cwe=(295,),
        remediation={
            "python": "Remove `verify=False` / unverified contexts; trust a private CA with "
            "`verify=<bundle>` or `ssl.create_default_context(cafile=...)`.",
            "javascript": "Remove `rejectUnauthorized: false` and NODE_TLS_REJECT_UNAUTHORIZED=0; "
            "pass the private CA with `ca`.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        code = code_facts(self.facts, app)
        for fact, fns in _unique_facts(code, "tls-off"):
            yield Violation(
                fact.source,
                f"TLS certificate verification is off: {fact.detail} in "
                f"{fact.source.path}:{fact.source.line} (code of {_whose(fns)})",
                resource=fns[0],
                snippet=f"tls {fact.source.path} {fact.detail}",
            )


class PlainHttpCall(Rule):
    """## What it does
    Flags outbound calls to a plain `http://` URL written in the code (a literal, a module
    constant, or the start of an f-string), and `http.client.HTTPConnection` to a fixed host.
    Loopback, link-local (metadata and container credential endpoints) and local development
    hosts are left out.

    ## Why is this bad?
    The call travels without TLS: requests, responses and any tokens or keys they carry can be
    read and altered on the way.

    ## Example
    ```python
    requests.get("http://inventory.example.com/items", timeout=5)
    ```

    ## Use instead
    ```python
    requests.get("https://inventory.example.com/items", timeout=5)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/319.html
    """

    meta = RuleMeta(
        id="FG-TLS-005",
        category=Category.INSECURE_TRANSPORT,
        severity=Severity.MEDIUM,
        title="Plain http:// call in function code",
        cwe=(319,),
        remediation={
            "python": "Call the https:// endpoint.",
            "javascript": "Call the https:// endpoint (`https` module or fetch with an https URL).",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        code = code_facts(self.facts, app)
        for fact, fns in _unique_facts(code, "plain-http"):
            hosts = plain_http_hosts(fact.data.get("url"))
            if not hosts:
                continue
            yield Violation(
                fact.source,
                f"Plain http:// call to {hosts[0]}: {fact.detail} in {fact.source.path}:{fact.source.line} "
                f"(code of {_whose(fns)})",
                resource=fns[0],
                snippet=f"http {fact.source.path} {hosts[0]}",
            )


# --- code quality --------------------------------------------------------------------------------


class WeakRandomForSecrets(Rule):
    """## What it does
    Flags tokens, passwords, one-time codes, nonces, salts or session ids made with the `random`
    module (`random.choice`, `randint`, `getrandbits`...) or JavaScript's `Math.random()`, judged
    by the name the value is assigned to or the function that makes it.

    ## Why is this bad?
    `random` is a Mersenne Twister: from a few hundred outputs an attacker predicts the next
    ones, and with them the next reset link or session token.

    ## Example
    ```python
    reset_token = "".join(random.choice(ALPHABET) for _ in range(32))
    ```

    ## Use instead
    ```python
    reset_token = secrets.token_urlsafe(32)
    ```

    ## References
    - https://docs.python.org/3/library/secrets.html
    - https://cwe.mitre.org/data/definitions/338.html
    """

    meta = RuleMeta(
        id="FG-CODE-001",
        category=Category.CODE_QUALITY,
        severity=Severity.MEDIUM,
        title="Non-cryptographic randomness for a secret value",
        cwe=(338,),
        remediation={
            "python": "Use the `secrets` module (`token_urlsafe`, `token_hex`, `choice`) or "
            "`random.SystemRandom`.",
            "javascript": "Use `crypto.randomBytes` / `crypto.randomUUID`, never `Math.random`.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        code = code_facts(self.facts, app)
        for fact, fns in _unique_facts(code, "weak-random"):
            name = fact.data.get("name")
            what = f"{name}() makes its value" if fact.data.get("via") == "function" else f"{name} is made"
            yield Violation(
                fact.source,
                f"{what} with {fact.detail}, a predictable generator, in "
                f"{fact.source.path}:{fact.source.line} (code of {_whose(fns)})",
                resource=fns[0],
                snippet=f"random {fact.source.path} {fact.data.get('name')}",
            )


class FastPasswordHash(Rule):
    """## What it does
    Flags a password hashed with a fast, unsalted digest (`hashlib.md5` / `sha1` / `sha256` /
    `sha512`..., Node's `crypto.createHash(...).update(...)`) of a value whose name says it is a
    password.

    ## Why is this bad?
    Fast hashes are built for speed: GPUs try billions of guesses a second, and without a salt
    one precomputed table cracks every user at once.

    ## Example
    ```python
    stored = hashlib.sha256(password.encode()).hexdigest()
    ```

    ## Use instead
    ```python
    stored = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
    # or hashlib.scrypt / hashlib.pbkdf2_hmac with a random salt and a high work factor
    ```

    ## References
    - https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
    - https://cwe.mitre.org/data/definitions/916.html
    """

    meta = RuleMeta(
        id="FG-CODE-002",
        category=Category.CODE_QUALITY,
        severity=Severity.MEDIUM,
        title="Password hashed with a fast unsalted digest",
        cwe=(916, 759),
        remediation={
            "python": "Use bcrypt / argon2, or `hashlib.scrypt` / `pbkdf2_hmac` with a random salt; "
            "better, let Cognito keep the passwords.",
            "javascript": "Use bcrypt / argon2 or `crypto.scrypt` with a random salt.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        code = code_facts(self.facts, app)
        for fact, fns in _unique_facts(code, "weak-hash"):
            yield Violation(
                fact.source,
                f"{fact.data.get('name')} is hashed with {fact.detail}, fast and unsalted, in "
                f"{fact.source.path}:{fact.source.line} (code of {_whose(fns)})",
                resource=fns[0],
                snippet=f"hash {fact.source.path} {fact.data.get('name')}",
            )


class SwallowedExceptions(Rule):
    """## What it does
    Flags a handler (or a router's route) that catches every exception (`except:`,
    `except Exception`, `except BaseException`, a JavaScript `catch`) and drops it: the block
    neither re-raises, logs nor calls anything. The number of such blocks per entry point before
    a finding is the `min_swallowed_exceptions` setting.

    ## Why is this bad?
    The invocation reports success: Lambda does not retry, the dead-letter queue and error
    alarms never see the failure, and the lost event leaves no trace (seed practice: eliminate
    poor-quality code).

    ## Example
    ```python
    def handler(event, context):
        try:
            process(event)
        except Exception:
            pass
    ```

    ## Use instead
    ```python
        except ValidationError:
            logger.warning("bad input")
            return {"statusCode": 400}
        # let other errors raise: Lambda records and retries them
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/396.html
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html
    """

    meta = RuleMeta(
        id="FG-CODE-003",
        category=Category.CODE_QUALITY,
        severity=Severity.LOW,
        title="Handler swallows every exception",
        cwe=(396, 390),
        remediation={
            "python": "Catch the exceptions you expect, log them, and let the rest raise (or "
            "re-raise after logging).",
            "javascript": "Catch what you expect, log it, and rethrow the rest.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        minimum = code_settings(self.settings).min_swallowed_exceptions
        code = code_facts(self.facts, app)
        facts = list(_unique_facts(code, "swallow"))
        per_file: dict[str, int] = {}
        for fact, _ in facts:
            per_file[fact.source.path] = per_file.get(fact.source.path, 0) + 1
        for fact, fns in facts:
            if per_file[fact.source.path] < minimum:
                continue
            yield Violation(
                fact.source,
                f"`{fact.detail}` in {fact.source.path}:{fact.source.line} drops every error of "
                f"{_whose(fns)}: failures look like successes",
                resource=fns[0],
                snippet=f"swallow {fact.source.path} {fact.detail}",
            )


def _route_group(path: str) -> str:
    for seg in path.split("/"):
        if seg and not seg.startswith(("{", "<", ":")):
            return seg.lower()
    return "/"


class ManyUnrelatedRoutes(Rule):
    """## What it does
    Flags a function that serves many unrelated routes: its API routes (from the template) and
    in-code router routes (Powertools, Chalice, Flask, FastAPI) span more distinct top-level
    resources (`/orders`, `/users`, `/reports`...) than the `max_route_groups` setting (5).

    ## Why is this bad?
    One function, one role: every route gets the permissions all the others need, a bug in one
    route's code is reachable from all of them, and no route can be scaled, throttled or
    deployed on its own (seed practice: minimal granularity).

    ## Example
    One `ApiFunction` behind `ANY /{proxy+}` routing `/orders`, `/users`, `/payments`,
    `/reports`, `/admin` and `/exports` in code.

    ## Use instead
    One function per resource (or per bounded context), each with its own least-privilege role.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/operatorguide/monolith.html
    """

    meta = RuleMeta(
        id="FG-CODE-004",
        category=Category.CODE_QUALITY,
        severity=Severity.LOW,
        title="One function serves many unrelated routes",
        remediation={
            "sam": "Split the function: one `AWS::Serverless::Function` per resource, each with its "
            "own events and policies.",
            "cloudformation": "Split the function and point each resource's methods at its own function.",
            "serverless": "Split the function into one `functions:` entry per resource.",
            "terraform": "Split the function; one aws_lambda_function per resource.",
            "python": "Move each resource's routes into a handler of its own.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        limit = code_settings(self.settings).max_route_groups
        code = code_facts(self.facts, app)
        for fn in app.functions:
            groups: dict[str, str] = {}
            for r in app.routes_of(fn.id):
                if not r.preflight and "{proxy+}" not in r.path:
                    groups.setdefault(_route_group(r.path), r.label)
            fc = code.functions.get(fn.id)
            for label in fc.routes if fc is not None else ():
                groups.setdefault(_route_group(label.split(" ", 1)[-1]), label)
            if len(groups) <= limit:
                continue
            names = ", ".join(f"/{g}" for g in sorted(groups)[:8])
            yield Violation(
                fn.loc("Handler"),
                f"{fn.display_name} serves {len(groups)} unrelated resources ({names}"
                f"{', ...' if len(groups) > 8 else ''}), more than {limit}",
                resource=fn.id,
                extra={"route_groups": len(groups), "threshold": limit},
                snippet=f"routes {fn.id}",
            )


class OversizedPackage(Rule):
    """## What it does
    Flags a function whose code folder (what its deployment package holds) is larger than the
    `max_package_mib` setting (50 MiB unpacked).

    ## Why is this bad?
    Large packages slow every cold start, usually carry code and data the function never uses
    (more to patch, more to leak), and near Lambda's 250 MB limit block the next release.

    ## Example
    `CodeUri: .` packaging the whole repository, test data and all.

    ## Use instead
    Point `CodeUri` at the function's own folder, move shared libraries into a layer, and keep
    large data in S3.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
    """

    meta = RuleMeta(
        id="FG-CODE-005",
        category=Category.CODE_QUALITY,
        severity=Severity.LOW,
        title="Oversized deployment package",
        remediation={
            "sam": "Narrow `CodeUri` to the function's folder; put shared dependencies in a layer.",
            "cloudformation": "Package only the function's files into `Code`.",
            "serverless": "Use `package.patterns` (or `individually: true`) to leave out what the "
            "function does not need.",
            "terraform": "Narrow the `archive_file` source to the function's folder.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        limit = code_settings(self.settings).max_package_mib
        code = code_facts(self.facts, app)
        for fn in app.functions:
            fc = code.functions.get(fn.id)
            if fc is None or fc.package_bytes is None:
                continue
            mib = fc.package_bytes / (1024 * 1024)
            if mib <= limit:
                continue
            size = f"at least {mib:.0f}" if fc.package_truncated else f"{mib:.0f}"
            if fc.code_root.lower().endswith((".zip", ".jar")):
                what = f"Deployment package {fc.code_root} of {fn.display_name} unpacks to {size} MiB"
            else:
                what = f"Code folder {fc.code_root or '.'} of {fn.display_name} holds {size} MiB"
            yield Violation(
                fn.loc("CodeUri", "Handler"),
                f"{what}, more than {limit:g} MiB",
                resource=fn.id,
                extra={"mib": round(mib, 1), "threshold_mib": limit},
                snippet=f"package {fn.id}",
            )


class UnusedDependency(Rule):
    """## What it does
    Flags a dependency declared in the function's `requirements.txt` that no Python file of its
    code folder imports. Packages installed for other packages or for the runtime (boto3,
    cryptography, uvicorn...) and development tools are left out. The number of unused
    dependencies before a finding is the `min_unused_dependencies` setting.

    ## Why is this bad?
    Every unused package is installed, shipped and loaded for nothing: a larger package, slower
    cold starts, and more code whose advisories you have to follow (seed practice: eliminate
    poor-quality code).

    ## Example
    ```text
    requests==2.32.3
    pandas==2.2.2        # never imported
    ```

    ## Use instead
    Remove the line (and pin what is left).

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/python-package.html
    """

    meta = RuleMeta(
        id="FG-CODE-006",
        category=Category.CODE_QUALITY,
        severity=Severity.LOW,
        title="Dependency declared but never imported",
        cwe=(1104,),
        remediation={
            "python": "Remove the package from requirements.txt (or import it where it is needed).",
            "javascript": "Remove the package from package.json `dependencies`.",
        },
    )

    def check(self, app: Application) -> Iterator[Violation]:
        minimum = code_settings(self.settings).min_unused_dependencies
        code = code_facts(self.facts, app)
        by_place: dict[SourceRef, tuple[str, list[str]]] = {}
        per_function: dict[str, int] = {}
        for fc in code.functions.values():
            per_function[fc.function] = len(fc.unused_dependencies)
            for name, where in fc.unused_dependencies:
                entry = by_place.setdefault(where, (name, []))
                entry[1].append(fc.function)
        for where, (name, fns) in by_place.items():
            if max(per_function[f] for f in fns) < minimum:
                continue
            yield Violation(
                where,
                f"{name} is declared in {where.path} but no code of {_whose(fns)} imports it",
                resource=fns[0],
                snippet=f"unused {where.path} {name}",
            )
