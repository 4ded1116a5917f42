"""The attack graph's shapes: nodes, edges, the hops of a path, and the paths themselves."""

from __future__ import annotations

from dataclasses import dataclass, field

from faasguard.model import SourceRef


@dataclass(frozen=True, slots=True)
class Node:
    kind: str  # route | function-url | open-invoke | store | function | role | flaw | secret | account
    id: str
    label: str
    source: SourceRef | None
    entry: bool = False  # an entry point: anyone on the internet can use it


@dataclass(frozen=True, slots=True)
class Edge:
    kind: str  # triggers | runs-as | has-flaw | can-read | can-write | can-read-write | can-invoke
    #            | can-escalate | is-admin | exposes
    source: str
    target: str
    label: str
    where: SourceRef | None


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a path, as a reader follows it."""

    kind: str  # entry | function | flaw | capability | target | trigger
    id: str  # the graph node (or grant) it stands for
    label: str
    message: str
    source: SourceRef


@dataclass(frozen=True, slots=True)
class AttackPath:
    kind: str  # injection | dependency | identity | secret
    family: str  # the flaw's family: an injection family, "dependency", "jwt", "authz", "secret"
    function: str
    entry: Hop
    flaw: Hop
    capability: Hop
    targets: tuple[Hop, ...]
    hops: tuple[Hop, ...]  # every hop in order, targets last
    critical: bool
    star: bool  # a target is reached through a wildcard resource
    summary: str  # what the path ends in, for the finding's message
    entries: tuple[str, ...] = ()  # every entry label that reaches the same flaw
    data: dict[str, object] = field(default_factory=dict)

    @property
    def rank(self) -> tuple[int, int, str, int]:
        return (0 if self.critical else 1, len(self.hops), self.flaw.source.path, self.flaw.source.line)


@dataclass
class AttackGraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    paths: list[AttackPath] = field(default_factory=list)
    _seen: set[Edge] = field(default_factory=set, repr=False)

    def add(self, node: Node) -> Node:
        return self.nodes.setdefault(node.id, node)

    def link(self, edge: Edge) -> None:
        if edge not in self._seen:
            self._seen.add(edge)
            self.edges.append(edge)

    def sorted_nodes(self) -> list[Node]:
        return sorted(self.nodes.values(), key=lambda n: (n.kind, n.id))

    def sorted_edges(self) -> list[Edge]:
        return sorted(self.edges, key=lambda e: (e.source, e.kind, e.target, _where(e.where)))


def _where(ref: SourceRef | None) -> tuple[str, int]:
    return (ref.path, ref.line) if ref is not None else ("", 0)
