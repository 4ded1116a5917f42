"""Code-level facts of Python handlers and the code-quality checks' thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from test_python_support import analyse, sam

from faasguard.analysis.code.python.lower import parse_module
from faasguard.analysis.code.settings import CodeSettings, code_settings
from faasguard.api import ScanOptions, scan
from faasguard.settings import Settings


def _hits(source: str) -> set[tuple[str, int, str]]:
    return {(h.kind, h.line, h.detail) for h in parse_module("m.py", source).hits}


def test_tls_and_jwt_facts() -> None:
    got = _hits(
        "import requests, jwt, httpx, urllib3\n"
        "requests.get(u, verify=False)\n"
        "httpx.Client(verify=False)\n"
        "urllib3.PoolManager(cert_reqs='CERT_NONE')\n"
        "jwt.decode(t, verify=False)\n"
        "jwt.decode(t, k, algorithms=['HS256'])\n"
    )
    assert got == {
        ("tls-off", 2, "requests.get(verify=False)"),
        ("tls-off", 3, "httpx.Client(verify=False)"),
        ("tls-off", 4, "urllib3.PoolManager(cert_reqs=CERT_NONE)"),
        ("jwt-unverified", 5, "jwt.decode(verify=False)"),
        ("jwt-verify", 6, "jwt.decode()"),
    }


def test_jwt_payload_decoded_from_split_parts() -> None:
    got = {
        (h.kind, h.line, h.detail, h.function)
        for h in parse_module(
            "m.py",
            "import base64, binascii\n"
            "def a(event):\n"
            "    parts = event['headers']['authorization'].split('.')\n"
            "    try:\n"
            "        raw = base64.b64decode(parts[1])\n"
            "    except ValueError:\n"
            "        raw = base64.b64decode(parts[1] + '==')\n"
            "    first = base64.b64decode(parts[0])\n"
            "def b(token):\n"
            "    _, payload, _ = token.split('.')\n"
            "    seg = token.split('.')[1]\n"
            "    return binascii.a2b_base64(payload.encode()), base64.urlsafe_b64decode(seg + '==')\n"
            "def c(parts):\n"
            "    version = '1.2'.split('.')\n"
            "    return base64.b64decode(parts[1]), int(version[1])\n",
        ).hits
    }
    assert got == {
        ("jwt-unverified", 5, "JWT payload base64-decoded by hand with base64.b64decode()", "a"),
        ("jwt-unverified", 12, "JWT payload base64-decoded by hand with binascii.a2b_base64()", "b"),
        ("jwt-unverified", 12, "JWT payload base64-decoded by hand with base64.urlsafe_b64decode()", "b"),
    }


def test_secret_candidates_and_weak_crypto_facts() -> None:
    got = _hits(
        "import random, hashlib\n"
        "PASSWORD = 'hunter2hunter2'\n"
        "cfg = {'client_secret': 'abc'}\n"
        "def make_session_id():\n"
        "    return random.getrandbits(64)\n"
        "digest = hashlib.sha1(user_password.encode()).hexdigest()\n"
        "salted = hashlib.sha256(salt + password).hexdigest()\n"
        "jitter = random.random()\n"
    )
    kinds = {(k, line) for k, line, _ in got}
    assert kinds == {("secret-literal", 2), ("secret-literal", 3), ("weak-random", 5), ("weak-hash", 6)}


def test_only_top_level_catch_all_blocks_that_drop_the_error_count() -> None:
    got = _hits(
        "def handler(e, c):\n"
        "    try:\n"
        "        work()\n"
        "    except Exception:\n"
        "        return {'statusCode': 200}\n"
        "    for r in e:\n"
        "        try:\n"
        "            work()\n"
        "        except Exception:\n"
        "            pass\n"
        "    try:\n"
        "        work()\n"
        "    except Exception:\n"
        "        return {'statusCode': 500}\n"
        "    try:\n"
        "        work()\n"
        "    except KeyError:\n"
        "        pass\n"
    )
    assert {(k, line) for k, line, _ in got} == {("swallow", 4)}


def test_jwt_peek_before_verification_is_not_reported(tmp_path: Path) -> None:
    code, _ = analyse(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.py": """
            import jwt

            def handler(event, context):
                token = event["headers"]["authorization"]
                header = jwt.get_unverified_header(token)
                unverified = jwt.decode(token, options={"verify_signature": False})
                key = KEYS[unverified["iss"]][header["kid"]]
                return jwt.decode(token, key, algorithms=["RS256"])

            KEYS = {}
            """,
        },
    )
    assert [f for f in code.functions["Fn"].facts if f.kind.startswith("jwt")] == []


def test_unused_dependency_names_and_guesses(tmp_path: Path) -> None:
    code, _ = analyse(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.py": """
            import aurora_dsql_connector
            import jose
            from PIL import Image

            def handler(event, context):
                return Image, jose, aurora_dsql_connector
            """,
            "src/tools/migrate.py": "import alembic\n",
            "src/requirements.txt": (
                "# runtime\nPillow>=10\npython-jose[cryptography]==3.3.0\naurora-dsql-connector\n"
                "alembic\nnumpy\n-r other.txt\nrequests ; python_version > '3.8'\n"
            ),
        },
    )
    assert [name for name, _ in code.functions["Fn"].unused_dependencies] == ["requests"]


def test_package_size_and_key_files(tmp_path: Path) -> None:
    code, _ = analyse(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.py": "def handler(e, c):\n    return 1\n",
            "src/keys/deploy.key": "-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n",
            "src/__pycache__/app.cpython-312.pyc": "x" * 10_000,
        },
    )
    fc = code.functions["Fn"]
    assert fc.key_files == ["src/keys/deploy.key"]
    assert fc.package_bytes is not None and fc.package_bytes < 1000


@dataclass(frozen=True, slots=True)
class _WithCode(Settings):
    code: CodeSettings = field(
        default_factory=lambda: CodeSettings(max_package_mib=0.0001, max_route_groups=1)
    )


def test_thresholds_are_settings(tmp_path: Path) -> None:
    assert code_settings(Settings()) == CodeSettings()
    assert code_settings(_WithCode()).max_route_groups == 1
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(sam("app.handler"), encoding="utf-8")
    (tmp_path / "src" / "app.py").write_text(
        "def handler(e, c):\n    return 1\n" + "#" * 500, encoding="utf-8"
    )
    options = ScanOptions(select=frozenset({"FG-CODE-005"}), settings=_WithCode(), use_config=False)
    assert [f.rule for f in scan(tmp_path, options).findings] == ["FG-CODE-005"]
    options = ScanOptions(select=frozenset({"FG-CODE-005"}), use_config=False)
    assert scan(tmp_path, options).findings == []
