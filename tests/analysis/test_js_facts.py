"""Code-level facts of JavaScript / TypeScript handlers (no data flow needed)."""

from __future__ import annotations

from pathlib import Path

from test_js_support import analyse, sam

from faasguard.analysis.code.js_lower import parse_module


def _hits(source: str, path: str = "m.js") -> set[tuple[str, int, str]]:
    return {(h.kind, h.line, h.detail) for h in parse_module(path, source).hits}


def test_tls_jwt_and_log_event_facts() -> None:
    got = _hits(
        'const jwt = require("jsonwebtoken");\n'
        'process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = 0;\n'
        "const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });\n"
        "const claims = jwt.decode(token);\n"
        'jwt.verify(token, key, { algorithms: ["RS256"] });\n'
        'jwt.verify(token, key, { algorithms: ["none"] });\n'
        "const body = atob(token.split('.')[1]);\n"
        "request({ url, strictSSL: false });\n"
        "export const handler = middy(fn).use(injectLambdaContext(logger, { logEvent: true }));\n",
        "m.ts",
    )
    assert got == {
        ("tls-off", 2, "NODE_TLS_REJECT_UNAUTHORIZED = 0"),
        ("tls-off", 3, "rejectUnauthorized: false"),
        ("jwt-unverified", 4, "jwt.decode()"),
        ("jwt-verify", 5, "jwt.verify()"),
        ("jwt-unverified", 6, 'jwt.verify(algorithms: ["none"])'),
        ("jwt-unverified", 7, "JWT payload base64-decoded by hand with atob()"),
        ("tls-off", 8, "strictSSL: false"),
        ("log-event", 9, "injectLambdaContext({ logEvent: true })"),
    }


def test_secrets_randomness_hashes_and_plain_http() -> None:
    got = _hits(
        'const STRIPE_KEY = "sk_live_51HxyzABCDEFGHIJKLMNOPqrstu";\n'
        'const cfg = { clientSecret: "s3cr3t-Value-8812!", region: "eu-west-1" };\n'
        "function makeSessionId() { return Math.random().toString(36); }\n"
        "const jitter = Math.random() * 100;\n"
        'const digest = crypto.createHash("sha1").update(userPassword).digest("hex");\n'
        'const salted = crypto.createHash("sha256").update(salt + password).digest("hex");\n'
        'await axios.post("http://billing.internal/charge", order);\n'
        "await fetch(`https://api.example.com/${id}`);\n"
    )
    assert {(k, line) for k, line, _ in got} == {
        ("secret-literal", 1),
        ("secret-literal", 2),
        ("weak-random", 3),
        ("weak-hash", 5),
        ("plain-http", 7),
    }


def test_only_top_level_catch_blocks_that_drop_the_error_count() -> None:
    got = _hits(
        "exports.handler = async (event) => {\n"
        "  try { await a(); } catch (e) { return { statusCode: 200 }; }\n"
        "  for (const r of event.Records) {\n"
        "    try { await b(r); } catch (e) {}\n"
        "  }\n"
        "  try { await c(); } catch (err) { return { statusCode: 500 }; }\n"
        "  try { await d(); } catch { /* ignore */ }\n"
        "  try { await e(); } catch (err) { console.error(err); }\n"
        "};\n"
    )
    assert {(k, line) for k, line, _ in got} == {("swallow", 2), ("swallow", 7)}


def test_jwt_peek_before_verification_is_not_reported(tmp_path: Path) -> None:
    code, _ = analyse(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.js": """
            const jwt = require("jsonwebtoken");

            exports.handler = async (event) => {
              const token = event.headers.authorization;
              const { header } = jwt.decode(token, { complete: true });
              return jwt.verify(token, KEYS[header.kid], { algorithms: ["RS256"] });
            };

            const KEYS = {};
            """,
        },
    )
    assert [f for f in code.functions["Fn"].facts if f.kind.startswith("jwt")] == []


def test_swallowed_errors_count_only_in_entry_points(tmp_path: Path) -> None:
    code, _ = analyse(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.js": """
            function helper() {
              try { work(); } catch (e) {}
            }

            exports.handler = async () => {
              try { helper(); } catch (e) {}
            };
            """,
        },
    )
    assert [(f.kind, f.source.line) for f in code.functions["Fn"].facts] == [("swallow", 6)]


def test_key_files_and_package_size_are_language_neutral(tmp_path: Path) -> None:
    code, _ = analyse(
        tmp_path,
        {
            "template.yaml": sam("index.handler"),
            "src/index.js": "exports.handler = async () => ({ statusCode: 200 });\n",
            "src/certs/client.key": "-----BEGIN RSA PRIVATE KEY-----\nfake\n",
            "src/requirements.txt": "requests==2.32.3\n",
        },
    )
    fc = code.functions["Fn"]
    assert fc.language == "javascript"
    assert fc.key_files == ["src/certs/client.key"]
    assert fc.package_bytes is not None and fc.package_bytes < 1000
    assert fc.unused_dependencies == []  # requirements.txt is Python's: not judged for a Node function


def test_jwt_payload_decoded_from_split_parts() -> None:
    got = _hits(
        "const parts = event.headers.authorization.split('.');\n"
        "const claims = JSON.parse(Buffer.from(parts[1], 'base64').toString());\n"
        "const [, payload] = token.split('.');\n"
        "const more = JSON.parse(atob(payload));\n"
        "const first = Buffer.from(parts[0], 'base64');\n"
    )
    assert got == {
        ("jwt-unverified", 2, "JWT payload base64-decoded by hand with Buffer.from()"),
        ("jwt-unverified", 4, "JWT payload base64-decoded by hand with atob()"),
    }
