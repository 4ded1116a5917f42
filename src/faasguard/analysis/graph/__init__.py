"""The attack graph: public doors, the flaws behind them, what the roles can do, what that reaches.

`attack_graph(facts, app)` builds it once per application and scan (through `Facts.get`); see
`build.py` for what goes in, `capabilities.py` for how role grants are read, `model.py` for the
shapes rules and exports read.
"""

from __future__ import annotations

from faasguard.analysis.facts import Facts
from faasguard.analysis.graph.model import AttackGraph, AttackPath, Edge, Hop, Node
from faasguard.model import Application


def attack_graph(facts: Facts, app: Application) -> AttackGraph:
    """The application's attack graph and its paths, computed once per scan."""
    from faasguard.analysis.graph.build import GraphBuilder

    return facts.get("attack-graph", app, lambda a, _root: GraphBuilder(a, facts).build())


__all__ = ["AttackGraph", "AttackPath", "Edge", "Hop", "Node", "attack_graph"]
