"""Python dependency files: requirements*.txt, pyproject.toml, poetry.lock, Pipfile.lock, uv.lock,
vendored *.dist-info / *.egg-info. Inputs are written here to match each tool's real output."""

# ruff: noqa: E501 (lockfile lines are as long as the tools write them: hashes, URLs)

from __future__ import annotations

import textwrap

from faasguard.analysis.deps import python
from faasguard.analysis.deps.model import Package


def _by_name(packages: list[Package]) -> dict[str, Package]:
    return {p.key: p for p in packages}


REQUIREMENTS = textwrap.dedent(
    """\
    # pins, ranges, markers, hashes, URLs
    --index-url https://pypi.org/simple
    -r base.txt
    -c constraints.txt
    requests==2.19.1 \\
        --hash=sha256:63b52e3c866428a224f97cab011de738c36aec0185aa91cfacd418b5d58911d1 \\
        --hash=sha256:ec22d826a36ed72a7358ff3fe56cbd4ba69dd7a6718ffd450ff0e9df7a47ce6a
    PyYAML==5.3 ; python_version >= "3.6"
    urllib3[secure,socks]>=1.21.1,<1.24
    boto3
    colorama==0.4.6 ; sys_platform == "win32"
    pkg-from-url @ https://files.example.com/pkg_from_url-1.0.0-py3-none-any.whl
    -e git+https://github.com/acme/internal-lib.git@v1.2.0#egg=internal-lib
    git+https://github.com/acme/other.git@0123abcd#egg=other
    Django===4.2.0
    """
)
BASE = "certifi==2018.8.24  # via requests\nidna>=2.5\n"
CONSTRAINTS = "idna==2.7\nchardet==3.0.4\n"


def test_requirements_pins_ranges_markers_hashes_urls_and_includes() -> None:
    files = {"app/base.txt": BASE, "app/constraints.txt": CONSTRAINTS}
    dep = python.parse_requirements("app/requirements.txt", REQUIREMENTS, files.__getitem__)
    assert dep.errors == []
    got = _by_name(dep.packages)
    assert (got["requests"].version, got["requests"].source.line) == ("2.19.1", 5)
    assert (got["pyyaml"].version, got["pyyaml"].marker) == ("5.3", 'python_version >= "3.6"')
    assert got["pyyaml"].source.line == 8
    assert got["urllib3"].version is None and got["urllib3"].spec == "<1.24,>=1.21.1"
    assert got["urllib3"].extras == ("secure", "socks")
    assert got["boto3"].version is None and got["boto3"].spec == ""
    assert got["colorama"].marker == 'sys_platform == "win32"'
    assert got["pkg-from-url"].origin == "url" and not got["pkg-from-url"].public
    assert got["internal-lib"].origin == "git" and got["internal-lib"].source.line == 13
    assert got["other"].origin == "git"
    assert got["django"].version == "4.2.0"
    # -r: lines of the included file; -c: the constraint pins a range from base.txt
    assert (got["certifi"].source.path, got["certifi"].source.line) == ("app/base.txt", 1)
    assert got["idna"].version == "2.7" and got["idna"].source.path == "app/constraints.txt"
    assert got["idna"].declared is not None and got["idna"].declared.path == "app/base.txt"
    assert "chardet" not in got  # a constraint alone installs nothing
    assert all(p.public for p in dep.packages if p.origin == "registry")


def test_requirements_private_index_and_unreadable_include() -> None:
    text = "--extra-index-url https://pypi.acme.internal/simple\nacme-billing==1.0\n-r ../../../etc/x.txt\n"

    def refuse(rel: str) -> str:
        raise OSError("refused: the path resolves outside the scanned folder")

    dep = python.parse_requirements("svc/requirements.txt", text, refuse)
    assert [(p.name, p.public) for p in dep.packages] == [("acme-billing", False)]
    assert dep.private_index
    assert [e.line for e in dep.errors] == [3]


def test_requirements_include_cycle_is_bounded() -> None:
    files = {"a/requirements.txt": "-r other.txt\nsix==1.16.0\n", "a/other.txt": "-r requirements.txt\n"}
    dep = python.parse_requirements("a/requirements.txt", files["a/requirements.txt"], files.__getitem__)
    assert [p.name for p in dep.packages] == ["six"]
    assert any("cycle" in e.message for e in dep.errors)


def test_dev_requirements_are_recognised() -> None:
    assert python.is_dev_requirements("requirements-dev.txt")
    assert python.is_dev_requirements("requirements_test.txt")
    assert not python.is_dev_requirements("requirements.txt")
    assert not python.is_dev_requirements("requirements-prod.txt")


PYPROJECT_621 = textwrap.dedent(
    """\
    [project]
    name = "orders"
    version = "0.1.0"
    requires-python = ">=3.12"
    dependencies = [
        "requests==2.19.1",
        "PyYAML>=5.1,<6",
        "boto3",
        "shared-lib",
        "jose-extras[crypto] @ git+https://github.com/acme/jose-extras.git@v2",
    ]

    [project.optional-dependencies]
    dev = ["pytest>=8"]

    [tool.uv.sources]
    shared-lib = { workspace = true }
    """
)


def test_pyproject_pep621() -> None:
    dep = python.parse_pyproject("orders/pyproject.toml", PYPROJECT_621)
    got = _by_name(dep.packages)
    assert set(got) == {"requests", "pyyaml", "boto3", "shared-lib", "jose-extras"}
    assert (got["requests"].version, got["requests"].source.line) == ("2.19.1", 6)
    assert (got["pyyaml"].spec, got["pyyaml"].source.line) == ("<6,>=5.1", 7)
    assert got["shared-lib"].origin == "workspace"
    assert got["jose-extras"].origin == "git"
    assert dep.importers["."] == ["requests", "pyyaml", "boto3", "shared-lib", "jose-extras"]


PYPROJECT_POETRY = textwrap.dedent(
    """\
    [tool.poetry]
    name = "reports"
    version = "1.0.0"
    description = ""

    [tool.poetry.dependencies]
    python = "^3.11"
    requests = "2.19.1"
    pyyaml = {version = "^5.3", extras = ["libyaml"]}
    jinja2 = "~2.10"
    mylib = {git = "https://github.com/acme/mylib.git", rev = "v1"}
    pendulum = {version = "^2.1", optional = true}
    urllib3 = [
        {version = "<1.24", python = "<3.8"},
        {version = "^1.26", python = ">=3.8"},
    ]

    [tool.poetry.group.dev.dependencies]
    pytest = "^8.0"
    """
)


def test_pyproject_poetry() -> None:
    dep = python.parse_pyproject("reports/pyproject.toml", PYPROJECT_POETRY)
    got = _by_name(dep.packages)
    assert set(got) == {"requests", "pyyaml", "jinja2", "mylib", "urllib3"}  # no python, optional, dev
    assert (got["requests"].version, got["requests"].source.line) == ("2.19.1", 8)
    assert got["pyyaml"].spec == ">=5.3,<6" and got["pyyaml"].extras == ("libyaml",)
    assert got["jinja2"].spec == ">=2.10,<2.11"
    assert got["mylib"].origin == "git"
    assert got["urllib3"].spec == "<1.24"


POETRY_LOCK = textwrap.dedent(
    """\
    # This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.

    [[package]]
    name = "certifi"
    version = "2018.8.24"
    description = "Python package for providing Mozilla's CA Bundle."
    optional = false
    python-versions = "*"
    files = [
        {file = "certifi-2018.8.24-py2.py3-none-any.whl", hash = "sha256:456048c7e371c089d0a77a5212fb37a2c2dce1e24146e3b7e0261736aaeaa22a"},
    ]

    [[package]]
    name = "mylib"
    version = "0.3.0"
    description = "Acme shared code"
    optional = false
    python-versions = "^3.11"
    files = []
    develop = false

    [package.source]
    type = "git"
    url = "https://github.com/acme/mylib.git"
    reference = "v1"
    resolved_reference = "9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e"

    [[package]]
    name = "pytest"
    version = "8.2.0"
    description = "pytest: simple powerful testing with Python"
    optional = false
    python-versions = ">=3.8"
    files = [
        {file = "pytest-8.2.0-py3-none-any.whl", hash = "sha256:1733f0620f6cda4095bbf0d9ff8022486e91892245bb9e7d5542c018f612f233"},
    ]

    [[package]]
    name = "requests"
    version = "2.19.1"
    description = "Python HTTP for Humans."
    optional = false
    python-versions = "*"
    files = [
        {file = "requests-2.19.1-py2.py3-none-any.whl", hash = "sha256:63b52e3c866428a224f97cab011de738c36aec0185aa91cfacd418b5d58911d1"},
    ]

    [package.dependencies]
    certifi = ">=2017.4.17"
    idna = {version = ">=2.5,<2.8", markers = "python_version >= \\"3\\""}

    [package.extras]
    security = ["cryptography (>=1.3.4)", "idna (>=2.0.0)", "pyOpenSSL (>=0.14)"]
    socks = ["PySocks (>=1.5.6,!=1.5.7)", "win-inet-pton"]

    [[package]]
    name = "idna"
    version = "2.7"
    description = "Internationalized Domain Names in Applications (IDNA)"
    optional = false
    python-versions = "*"
    files = []

    [metadata]
    lock-version = "2.0"
    python-versions = "^3.11"
    content-hash = "3c1d7e8f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d"
    """
)


def test_poetry_lock() -> None:
    dep = python.parse_poetry_lock("reports/poetry.lock", POETRY_LOCK)
    got = _by_name(dep.packages)
    assert dep.graph and dep.lock
    assert (got["certifi"].version, got["certifi"].source.line) == ("2018.8.24", 5)
    assert (got["requests"].version, got["requests"].source.line) == ("2.19.1", 40)
    assert set(got["requests"].requires) == {"certifi", "idna"}
    assert got["mylib"].origin == "git" and not got["mylib"].public
    assert got["idna"].source.line == 58


PIPFILE_LOCK = textwrap.dedent(
    """\
    {
        "_meta": {
            "hash": {
                "sha256": "7f1b5e1fa9a3c9d3c2b6f0e4a1d5c8b2e7f9a0c3d6e8f1a4b7c0d3e6f9a2b5c8"
            },
            "pipfile-spec": 6,
            "requires": {
                "python_version": "3.12"
            },
            "sources": [
                {
                    "name": "pypi",
                    "url": "https://pypi.org/simple",
                    "verify_ssl": true
                },
                {
                    "name": "acme",
                    "url": "https://pypi.acme.internal/simple",
                    "verify_ssl": true
                }
            ]
        },
        "default": {
            "acme-billing": {
                "hashes": [
                    "sha256:0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c"
                ],
                "index": "acme",
                "version": "==3.1.0"
            },
            "pyyaml": {
                "hashes": [
                    "sha256:06a0d7ba600ce0b2d2fe2e78453a470b5a6e000a985dd4a4e54e436cc36b0e97"
                ],
                "index": "pypi",
                "markers": "python_version >= '3.6'",
                "version": "==5.3"
            },
            "mylib": {
                "git": "https://github.com/acme/mylib.git",
                "ref": "9f0c2d5b3c5e8e1d0e4a7b2f6c1d3e5a7b9c0d1e"
            }
        },
        "develop": {
            "pytest": {
                "hashes": [],
                "index": "pypi",
                "version": "==8.2.0"
            }
        }
    }
    """
)


def test_pipfile_lock() -> None:
    dep = python.parse_pipfile_lock("svc/Pipfile.lock", PIPFILE_LOCK)
    got = _by_name(dep.packages)
    assert set(got) == {"acme-billing", "pyyaml", "mylib"}  # develop is not shipped
    assert (got["pyyaml"].version, got["pyyaml"].source.line, got["pyyaml"].public) == ("5.3", 37, True)
    assert got["pyyaml"].marker == "python_version >= '3.6'"
    assert (got["acme-billing"].version, got["acme-billing"].public) == ("3.1.0", False)
    assert got["mylib"].origin == "git" and got["mylib"].version is None


UV_LOCK = textwrap.dedent(
    """\
    version = 1
    revision = 2
    requires-python = ">=3.12"

    [manifest]
    members = [
        "orders",
        "shared-lib",
    ]

    [[package]]
    name = "certifi"
    version = "2018.8.24"
    source = { registry = "https://pypi.org/simple" }
    sdist = { url = "https://files.pythonhosted.org/packages/certifi-2018.8.24.tar.gz", hash = "sha256:376690d6f16d32f9d1fe8932551d80b23e9d393a8578c5633a2ed39a64861638", size = 149436 }
    wheels = [
        { url = "https://files.pythonhosted.org/packages/certifi-2018.8.24-py2.py3-none-any.whl", hash = "sha256:456048c7e371c089d0a77a5212fb37a2c2dce1e24146e3b7e0261736aaeaa22a", size = 147158 },
    ]

    [[package]]
    name = "orders"
    version = "0.1.0"
    source = { editable = "services/orders" }
    dependencies = [
        { name = "requests" },
        { name = "shared-lib" },
    ]

    [package.dev-dependencies]
    dev = [
        { name = "pytest" },
    ]

    [package.metadata]
    requires-dist = [
        { name = "requests", specifier = "==2.19.1" },
        { name = "shared-lib", editable = "libs/shared" },
    ]

    [[package]]
    name = "pytest"
    version = "8.2.0"
    source = { registry = "https://pypi.org/simple" }

    [[package]]
    name = "pyyaml"
    version = "5.3"
    source = { registry = "https://pypi.org/simple" }

    [[package]]
    name = "requests"
    version = "2.19.1"
    source = { registry = "https://pypi.org/simple" }
    dependencies = [
        { name = "certifi" },
        { name = "win-inet-pton", marker = "sys_platform == 'win32'" },
    ]

    [[package]]
    name = "shared-lib"
    version = "0.2.0"
    source = { editable = "libs/shared" }
    dependencies = [
        { name = "pyyaml" },
    ]

    [[package]]
    name = "tools"
    version = "0.1.0"
    source = { git = "https://github.com/acme/tools?rev=v3#1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b" }
    """
)


def test_uv_lock_workspace() -> None:
    dep = python.parse_uv_lock("uv.lock", UV_LOCK)
    got = _by_name(dep.packages)
    assert "orders" not in got and "shared-lib" not in got  # members are projects, not packages
    assert dep.importers["services/orders"] == ["requests", "shared-lib"]
    assert dep.importers["libs/shared"] == ["pyyaml"]
    assert (got["requests"].version, got["requests"].source.line) == ("2.19.1", 52)
    assert got["requests"].requires == ("certifi", "win-inet-pton")
    assert got["tools"].origin == "git" and not got["tools"].public
    assert got["pyyaml"].source.line == 47


METADATA = textwrap.dedent(
    """\
    Metadata-Version: 2.1
    Name: PyYAML
    Version: 5.3
    Summary: YAML parser and emitter for Python
    Requires-Python: >=2.7
    Requires-Dist: example-extra ; extra == "all"

    YAML is a data serialization format...
    Version: 9.9 (not a header: the description)
    """
)


def test_dist_info_and_egg_info() -> None:
    pkg = python.parse_dist_info("src/PyYAML-5.3.dist-info/METADATA", METADATA, "_yaml\nyaml\n")
    assert pkg is not None
    assert (pkg.name, pkg.version, pkg.source.line) == ("PyYAML", "5.3", 3)
    assert pkg.import_names == ("yaml",) and pkg.requires == ()
    egg = python.parse_dist_info(
        "src/requests-2.19.1.egg-info/PKG-INFO",
        "Metadata-Version: 1.1\nName: requests\nVersion: 2.19.1\n",
        "requests\n",
        "chardet<3.1.0,>=3.0.2\nidna<2.8,>=2.5\n\n[security]\npyOpenSSL>=0.14\n",
    )
    assert egg is not None and egg.requires == ("chardet", "idna")
