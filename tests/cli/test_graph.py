"""`faasguard graph`: DOT that parses (hostile names included), JSON with a checked shape, stable output."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from faasguard import cli
from faasguard.analysis.graph import AttackGraph, Edge, Node
from faasguard.analysis.graph.export import dot_string, to_dot
from faasguard.model import SourceRef

RULES = Path(__file__).resolve().parent.parent / "rules"
CHAIN = RULES / "FG-PATH-001" / "fail_sam_chain_through_queue"
EDGE_KINDS = {
    "triggers",
    "runs-as",
    "has-flaw",
    "can-read",
    "can-write",
    "can-read-write",
    "can-invoke",
    "can-escalate",
    "is-admin",
    "exposes",
}
NODE_KINDS = {
    "route",
    "function-url",
    "open-invoke",
    "store",
    "function",
    "role",
    "flaw",
    "secret",
    "account",
}


# --- a small DOT reader (the subset the exporter writes, checked strictly) ------------------------

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<id>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>->|[{}\[\];,=]))', re.S
)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        assert m is not None, f"unexpected text at {pos}: {text[pos : pos + 40]!r}"
        kind = m.lastgroup
        assert kind is not None
        value = m.group(kind)
        if kind == "str":
            value = value[1:-1].replace('\\"', '"')  # DOT's only escape inside a quoted string
        out.append((kind, value))
        pos = m.end()
    return out


def parse_dot(text: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, dict[str, str]]]]:
    """Nodes (id -> attributes) and edges (source, target, attributes) of one digraph."""
    toks = _tokens(text)
    assert toks[:2] == [("id", "digraph"), ("id", "faasguard")] and toks[2] == ("op", "{")
    assert toks[-1] == ("op", "}")
    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str, dict[str, str]]] = []
    i, depth = 3, 1

    def attrs(j: int) -> tuple[dict[str, str], int]:
        assert toks[j] == ("op", "[")
        got: dict[str, str] = {}
        j += 1
        while toks[j] != ("op", "]"):
            key, eq, value = toks[j], toks[j + 1], toks[j + 2]
            assert key[0] == "id" and eq == ("op", "=") and value[0] in ("str", "id")
            got[key[1]] = value[1]
            j += 3
            if toks[j] == ("op", ","):
                j += 1
        return got, j + 1

    while i < len(toks) - 1:
        kind, value = toks[i]
        if (kind, value) == ("id", "subgraph"):
            assert toks[i + 1][0] == "id" and toks[i + 2] == ("op", "{")
            i, depth = i + 3, depth + 1
        elif (kind, value) == ("op", "}"):
            i, depth = i + 1, depth - 1
        elif kind == "id" and toks[i + 1] == ("op", "="):  # graph attribute: rankdir=LR;
            assert toks[i + 3] == ("op", ";")
            i += 4
        elif kind == "id" and toks[i + 1] == ("op", "["):  # node [fontname=...];
            _, i = attrs(i + 1)
            assert toks[i] == ("op", ";")
            i += 1
        elif kind == "str" and toks[i + 1] == ("op", "->"):
            assert toks[i + 2][0] == "str"
            target = toks[i + 2][1]
            got, i = attrs(i + 3)
            assert toks[i] == ("op", ";")
            edges.append((value, target, got))
            i += 1
        elif kind == "str":
            got, i = attrs(i + 1)
            assert toks[i] == ("op", ";")
            nodes[value] = got
            i += 1
        else:
            raise AssertionError(f"unexpected token {toks[i]!r}")
    assert depth == 1
    return nodes, edges


def _unescape_label(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\\\", "\\")


# --- the command ---------------------------------------------------------------------------------


def test_dot_export_parses_and_is_deterministic() -> None:
    runner = CliRunner()
    first = runner.invoke(cli.main, ["graph", str(CHAIN), "--no-config"])
    second = runner.invoke(cli.main, ["graph", str(CHAIN), "--no-config"])
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    nodes, edges = parse_dot(first.stdout)
    assert set(nodes) == {
        ".#flaw:IngestFunction:command:src/ingest/app.py:6",
        ".#flaw:WorkerFunction:deserialisation:src/worker/app.py:7",
        ".#function:IngestFunction",
        ".#function:WorkerFunction",
        ".#role:IngestFunctionRole",
        ".#role:WorkerFunctionRole",
        ".#route:ServerlessHttpApi:POST /ingest",
        ".#store:JobsQueue",
        ".#store:PaymentsSecret",
    }
    assert nodes[".#route:ServerlessHttpApi:POST /ingest"]["color"] == "red"
    assert _unescape_label(nodes[".#store:JobsQueue"]["label"]) == "queue JobsQueue\ntemplate.yaml:38"
    assert sorted((s, t, a["kind"]) for s, t, a in edges) == [
        (".#function:IngestFunction", ".#flaw:IngestFunction:command:src/ingest/app.py:6", "has-flaw"),
        (".#function:IngestFunction", ".#role:IngestFunctionRole", "runs-as"),
        (
            ".#function:WorkerFunction",
            ".#flaw:WorkerFunction:deserialisation:src/worker/app.py:7",
            "has-flaw",
        ),
        (".#function:WorkerFunction", ".#role:WorkerFunctionRole", "runs-as"),
        (".#role:IngestFunctionRole", ".#store:JobsQueue", "can-write"),
        (".#role:WorkerFunctionRole", ".#store:PaymentsSecret", "can-read"),
        (".#route:ServerlessHttpApi:POST /ingest", ".#function:IngestFunction", "triggers"),
        (".#store:JobsQueue", ".#function:WorkerFunction", "triggers"),
    ]


def test_json_export_shape(tmp_path: Path) -> None:
    out = tmp_path / "graph.json"
    result = CliRunner().invoke(
        cli.main,
        ["graph", str(RULES / "FG-PATH-001"), "--format", "json", "--output", str(out), "--no-config"],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["version"] == "1"
    roots = [a["application"] for a in doc["applications"]]
    assert roots == sorted(roots) and "fail_sam_chain_through_queue" in roots
    for app in doc["applications"]:
        ids = {n["id"] for n in app["nodes"]}
        assert len(ids) == len(app["nodes"])
        for n in app["nodes"]:
            assert set(n) == {"kind", "id", "label", "location", "entry"}
            assert n["kind"] in NODE_KINDS
            assert n["location"] is None or (isinstance(n["location"]["line"], int) and n["location"]["path"])
        for e in app["edges"]:
            assert e["kind"] in EDGE_KINDS
            assert e["source"] in ids and e["target"] in ids, e
        for p in app["paths"]:
            assert p["severity"] in ("critical", "high")
            assert [h["kind"] for h in p["hops"]][:3] == ["entry", "function", "flaw"]
            assert p["hops"][-1]["kind"] == "target"
            assert all(h["path"] and h["line"] >= 1 for h in p["hops"])
    chain = next(a for a in doc["applications"] if a["application"] == "fail_sam_chain_through_queue")
    # one path for the flaw: the critical chain through the queue; the queue write itself is listed with it
    assert [p["severity"] for p in chain["paths"]] == ["critical"]
    passes = [a for a in doc["applications"] if a["application"].startswith("pass_")]
    assert passes and all(a["paths"] == [] for a in passes)


# --- hostile names -------------------------------------------------------------------------------

HOSTILE = 'a"b\\c\nd\re\x1bf\x00g\u2028h\udcffi];"x" -> "y'


def test_dot_strings_escape_everything() -> None:
    quoted = dot_string(HOSTILE)
    assert quoted.startswith('"') and quoted.endswith('"')
    body = quoted[1:-1]
    assert not re.search(r'(?<!\\)"', body.replace("\\\\", "")), "an unescaped quote would end the string"
    assert all(0x20 <= ord(c) < 0x7F or ord(c) > 0xA0 for c in body if not 0xD800 <= ord(c) <= 0xDFFF)
    assert "\udcff" not in body
    body.encode("utf-8")  # writable as UTF-8


def test_hostile_names_stay_inside_their_strings() -> None:
    where = SourceRef('dir"\\/t.yaml', 3, 3)
    g = AttackGraph()
    g.add(Node("route", f"route:{HOSTILE}", f"public route GET /{HOSTILE}", where, entry=True))
    g.add(Node("function", "function:F", HOSTILE, where))
    g.link(Edge("triggers", f"route:{HOSTILE}", "function:F", HOSTILE, where))
    text = to_dot([(HOSTILE, g)])
    assert "\r" not in text and "\x1b" not in text and "\x00" not in text and "\u2028" not in text
    nodes, edges = parse_dot(text)
    assert len(nodes) == 2 and len(edges) == 1
    source, target, attrs = edges[0]
    assert {source, target} == set(nodes)
    assert _unescape_label(attrs["tooltip"]).startswith('a"b\\c\nd')
    # The application's name (the cluster prefix) reads back as written, escapes shown as text.
    function_id = _unescape_label(next(n for n in nodes if n.endswith("#function:F")))
    assert function_id.startswith('a"b\\c\nd\\x0de\\x1bf\\x00g\\x2028h\\udcffi];"x" -> "y#')


def test_hostile_route_path_in_a_template(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(
        "import os\n\n\ndef handler(event, context):\n    os.system(event['body'])\n", encoding="utf-8"
    )
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      CodeUri: src/\n"
        "      Handler: app.handler\n"
        "      Runtime: python3.12\n"
        "      Policies: [{Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}]\n"
        "      Events:\n"
        "        E:\n"
        "          Type: Api\n"
        "          Properties:\n"
        '            Path: "/x\\"];\\n\\\\y\\e"\n'
        "            Method: post\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    dot = runner.invoke(cli.main, ["graph", str(tmp_path), "--no-config"])
    assert dot.exit_code == 0, dot.output
    nodes, _ = parse_dot(dot.stdout)
    route = [n for n in nodes if "#route:" in n]
    assert len(route) == 1 and "\\\\x1b" in route[0]
    js = runner.invoke(cli.main, ["graph", str(tmp_path), "--format", "json", "--no-config"])
    doc = json.loads(js.stdout)
    labels = [n["label"] for n in doc["applications"][0]["nodes"] if n["kind"] == "route"]
    assert labels == ['public route POST /x"];\n\\y\x1b on the implicit API, no authentication']
    assert [p["severity"] for p in doc["applications"][0]["paths"]] == ["critical"]
