"""`faasguard policy PATH`: the least-privilege policy of each function, from what its code calls.

Loads the applications and runs only the needs analysis (analysis/iam/needs.py), never the rules,
so it costs a fraction of a scan; nothing is run or fetched. Output formats:

- json: `{"functions": {"<id>": {"actions": [...], "statements": [...], ...}}}`, ARNs concrete
  where the model knows them (needs.needed_statements);
- sam: the `Policies:` block of each AWS::Serverless::Function, `!GetAtt X.Arn` / `!Ref X` /
  `!Sub` for the template's own resources;
- serverless: `provider.iam.role.statements` (v3), `Fn::GetAtt` / `Ref` / `Fn::Join` ARNs, once
  per role when functions share the Framework's one role;
- terraform: one `data "aws_iam_policy_document"` per function with `aws_x.y.arn` references.

A function whose needs are incomplete says which calls could not be mapped (a comment, or the
`unmapped` field). Only click is imported at module level: `faasguard --version` stays instant.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from faasguard.analysis.iam.needs import FunctionNeeds, NeededAction, NeededResource
    from faasguard.model import Application, DataStore, Function

FORMATS = ("json", "sam", "serverless", "terraform")
# The Framework's one role for every function (the logical id it gives it).
_SERVERLESS_ROLE = "IamRoleLambdaExecution"
# What each output format can reference by name (a template's logical ids, Terraform addresses).
_REFERENCES = {
    "sam": ("sam", "cloudformation", "serverless"),
    "serverless": ("serverless", "sam", "cloudformation"),
    "terraform": ("terraform",),
}
# Chalice adds this statement to the policy it generates; a policy file must hold it itself.
_CHALICE_LOGS = {
    "Effect": "Allow",
    "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
    "Resource": "arn:*:logs:*:*:*",
}


@dataclass(frozen=True)
class Target:
    """One function (or, for a shared Serverless role, several) and what its code needs."""

    app: Application
    functions: tuple[Function, ...]
    needs: tuple[FunctionNeeds, ...]

    @property
    def key(self) -> str:
        return self.functions[0].id

    @property
    def complete(self) -> bool:
        return all(n.complete for n in self.needs)

    def actions(self) -> list[NeededAction]:
        """The needed actions of every function here, merged by action."""
        from faasguard.analysis.iam.needs import NeededAction

        merged: dict[str, NeededAction] = {}
        for n in self.needs:
            for a in n.actions:
                old = merged.get(a.action)
                if old is None:
                    merged[a.action] = a
                    continue
                resources = old.resources + tuple(r for r in a.resources if r not in old.resources)
                calls = tuple(sorted(set(old.calls + a.calls), key=lambda c: (c.path, c.line)))
                merged[a.action] = NeededAction(a.action, resources, calls, old.why or a.why)
        return sorted(merged.values(), key=lambda a: a.action.lower())


@click.command()
@click.argument("path", type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--function", "function", metavar="NAME", help="Only this function (id, name or key).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option(
    "--parameter",
    "parameters",
    multiple=True,
    metavar="KEY=VALUE",
    help="Template parameter value (wins over defaults and samconfig).",
)
@click.option("--stage", metavar="NAME", help="Serverless Framework / Chalice stage to evaluate.")
@click.option("--var-file", "var_files", multiple=True, metavar="FILE", help="Terraform variable file.")
@click.option("--var", "variables", multiple=True, metavar="KEY=VALUE", help="Terraform variable value.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave these paths out (relative to PATH).")
def policy(
    path: str,
    function: str | None,
    fmt: str,
    parameters: tuple[str, ...],
    stage: str | None,
    var_files: tuple[str, ...],
    variables: tuple[str, ...],
    exclude: tuple[str, ...],
) -> None:
    """Print the least-privilege IAM policy of each function under PATH, derived from the AWS SDK
    calls its code makes, ready to paste into the template.

    Exit code 0 on success, 2 on a usage error (no such path or function).
    """
    from pathlib import Path

    from faasguard.analysis.facts import Facts
    from faasguard.analysis.iam.needs import function_needs
    from faasguard.api import ScanOptions
    from faasguard.engine import load_applications

    root = Path(path).resolve()
    only = None
    if root.is_file():
        only, root = root.name, root.parent
    options = ScanOptions(
        parameters=_pairs(parameters, "--parameter"),
        stage=stage,
        var_files=tuple(var_files),
        variables=_pairs(variables, "--var"),
        exclude=tuple(exclude),
        use_config=False,
    )
    apps, errors, _ = load_applications(root, options, only)
    facts = Facts(root, options)
    many = len(apps) > 1
    targets: list[Target] = []
    for app in apps:
        needs = function_needs(facts, app)
        for fn in app.functions:
            if function is None or _named(fn, function, app, many):
                targets.append(Target(app, (fn,), (needs[fn.id],) if fn.id in needs else ()))
    if function is not None and not targets:
        known = sorted(_label(f, a, many) for a in apps for f in a.functions)
        hint = f"; functions: {', '.join(known[:20])}" if known else "; no function found under PATH"
        raise click.BadParameter(f"no function {function!r}{hint}", param_hint="--function")
    for err in [*errors, *facts.errors]:
        where = f"{err.path}:{err.line}" if err.line else err.path
        click.echo(f"faasguard: {where}: {err.message}", err=True)
    if fmt == "json":
        click.echo(render_json(targets, many))
    elif fmt == "sam":
        click.echo(render_sam(targets, many), nl=False)
    elif fmt == "serverless":
        click.echo(render_serverless(_by_role(targets), many), nl=False)
    else:
        click.echo(render_terraform(targets, many), nl=False)


def _pairs(values: Iterable[str], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint=option)
        out[key.strip()] = value
    return out


def _serverless_key(fn: Function) -> str | None:
    """The key under `functions:` of serverless.yml, from the Framework's logical id."""
    if not fn.id.endswith("LambdaFunction"):
        return None
    stem = fn.id.removesuffix("LambdaFunction").replace("Dash", "-").replace("Underscore", "_")
    return stem[:1].lower() + stem[1:] if stem else None


def _label(fn: Function, app: Application, many: bool) -> str:
    return f"{app.root}/{fn.id}" if many and app.root != "." else fn.id


def _named(fn: Function, wanted: str, app: Application, many: bool) -> bool:
    names = {fn.id, _label(fn, app, many)}
    if isinstance(fn.name, str) and fn.name:
        names.add(fn.name)
    if app.kind == "serverless":
        key = _serverless_key(fn)
        if key:
            names.update({key, key[:1].upper() + key[1:]})
    if app.kind == "terraform":
        names.add(fn.id.rsplit(".", 1)[-1])
    return wanted in names


def _by_role(targets: Sequence[Target]) -> list[Target]:
    """Serverless functions sharing the Framework's role get one statement list."""
    out: list[Target] = []
    shared: dict[tuple[int, str], int] = {}
    for t in targets:
        fn = t.functions[0]
        role = fn.role if isinstance(fn.role, str) else None
        if role is None or t.app.kind != "serverless":
            out.append(t)
            continue
        at = shared.get((id(t.app), role))
        if at is None:
            shared[(id(t.app), role)] = len(out)
            out.append(t)
        else:
            prev = out[at]
            out[at] = Target(prev.app, prev.functions + t.functions, prev.needs + t.needs)
    return out


# --- notes ---------------------------------------------------------------------------------------


def _notes(t: Target) -> list[str]:
    """What a reader must know about a policy: calls not mapped, code not found, derived actions."""
    lines: list[str] = []
    for n in t.needs:
        if n.language is None:
            lines.append(f"{n.function}: handler code not found: no calls analysed")
        elif not n.complete and not n.unresolved:
            lines.append(f"{n.function}: incomplete: not every call could be analysed")
        for ref, reason in n.unresolved:
            lines.append(f"{n.function}: not mapped: {ref.path}:{ref.line}: {reason}")
    if len(t.needs) < len(t.functions):
        lines.append("some functions were not analysed")
    return lines


def _nothing(t: Target, lead: str) -> str:
    """Why a policy is empty: the code calls nothing, or nothing could be mapped."""
    return lead + ("the code calls no AWS API" if t.complete else "no AWS call could be mapped")


def _runtime(t: Target) -> list[str]:
    from faasguard.analysis.iam.audit import runtime_policies

    names: list[str] = []
    for fn in t.functions:
        names.extend(p for p in runtime_policies(fn, t.app) if p not in names)
    return names


# --- json ----------------------------------------------------------------------------------------


def render_json(targets: Sequence[Target], many: bool) -> str:
    from faasguard.analysis.iam.needs import needed_statements

    out: dict[str, Any] = {}
    for t in targets:
        fn, needs = t.functions[0], t.needs[0] if t.needs else None
        statements = needed_statements(needs, t.app) if needs is not None else []
        entry: dict[str, Any] = {
            "actions": sorted({a.action for a in t.actions()}, key=str.lower),
            "statements": statements,
            "complete": t.complete,
            "language": needs.language if needs is not None else None,
            "unmapped": [
                {"path": ref.path, "line": ref.line, "reason": reason}
                for n in t.needs
                for ref, reason in n.unresolved
            ],
            "runtime_policies": _runtime(t),
        }
        notes = _notes(t)
        if notes:
            entry["notes"] = notes
        if t.app.kind == "chalice":
            # The file Chalice reads with `autogen_policy: false` (.chalice/policy-<stage>.json).
            entry["policy_document"] = {"Version": "2012-10-17", "Statement": [*statements, _CHALICE_LOGS]}
        out[_label(fn, t.app, many)] = entry
    return json.dumps({"functions": out}, indent=2)


# --- grouping and resource expressions -----------------------------------------------------------


def _grouped(t: Target, render: Any) -> list[tuple[list[str], list[str], list[str]]]:
    """(actions, rendered resources, comments) per distinct resource set, actions sorted."""
    groups: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
    for a in t.actions():
        rendered: list[str] = []
        comments: list[str] = []
        for r in a.resources:
            text, note = render(r, t.app)
            if text not in rendered:
                rendered.append(text)
            if note and note not in comments:
                comments.append(note)
        key = tuple(sorted(rendered))
        actions, notes = groups.setdefault(key, ([], []))
        actions.append(a.action)
        if a.why:
            comments.append(f"{a.action}: {a.why}")
        notes.extend(c for c in comments if c not in notes)
    return [(sorted(acts, key=str.lower), list(key), notes) for key, (acts, notes) in groups.items()]


def _store(res: NeededResource, app: Application, fmt: str) -> DataStore | None:
    if res.store is None or app.kind not in _REFERENCES[fmt]:
        return None
    return app.store(res.store)


def _literal(res: NeededResource, app: Application) -> tuple[str, str | None]:
    """A plain ARN (region and account left open when only the name is known), or "*"."""
    from faasguard.analysis.iam.audit import needed_arn

    if res.store is None:
        lit = (res.literal or "*").strip() or "*"
        return lit, (res.note if lit == "*" else None)
    arn = needed_arn(res, app)
    if arn is None or "${" in arn.resource:
        return "*", f"the name of {res.store} is not known here"
    return arn.text(), None


_GETATT = {"dynamodb", "s3", "sqs", "kinesis", "opensearch", "efs"}
_REF_ARN = {"sns", "secretsmanager"}


def _cfn_arn(store: DataStore, app: Application) -> tuple[str, str] | None:
    """("getatt", attribute) or ("ref", "") for a store's ARN in CloudFormation; None if neither."""
    kind = store.kind.value
    if kind in _GETATT:
        return "getatt", "Arn"
    if kind in _REF_ARN:
        return "ref", ""
    if kind == "rds":
        cluster = app.resource_types.get(store.id, "").endswith("DBCluster")
        return "getatt", "DBClusterArn" if cluster else "DBInstanceArn"
    return None


def sam_resource(res: NeededResource, app: Application) -> tuple[str, str | None]:
    store = _store(res, app, "sam")
    shape = _cfn_arn(store, app) if store is not None else None
    if store is None or shape is None:
        text, note = _literal(res, app)
        return (f'"{text}"' if text == "*" else text), note
    how, attr = shape
    if how == "getatt":
        return (
            f"!GetAtt {store.id}.{attr}" if not res.suffix else f'!Sub "${{{store.id}.{attr}}}{res.suffix}"'
        ), None
    return (f"!Ref {store.id}" if not res.suffix else f'!Sub "${{{store.id}}}{res.suffix}"'), None


def serverless_resource(res: NeededResource, app: Application) -> tuple[str, str | None]:
    store = _store(res, app, "serverless")
    shape = _cfn_arn(store, app) if store is not None else None
    if store is None or shape is None:
        text, note = _literal(res, app)
        return (f'"{text}"' if text == "*" else text), note
    how, attr = shape
    base = f"{{Fn::GetAtt: [{store.id}, {attr}]}}" if how == "getatt" else f"{{Ref: {store.id}}}"
    if not res.suffix:
        return base, None
    return f'{{Fn::Join: ["", [{base}, "{res.suffix}"]]}}', None


def terraform_resource(res: NeededResource, app: Application) -> tuple[str, str | None]:
    store = _store(res, app, "terraform")
    if store is not None and not store.id.startswith("module.") and re.fullmatch(r"[\w.\-\[\]\"]+", store.id):
        ref = f"{store.id}.arn"
        return (ref if not res.suffix else f'"${{{ref}}}{res.suffix}"'), None
    text, note = _literal(res, app)
    return json.dumps(text), note


# --- sam -----------------------------------------------------------------------------------------


def _comment(lines: Iterable[str], indent: str) -> str:
    return "".join(f"{indent}# {line}\n" for line in lines)


def _header(t: Target, many: bool) -> str:
    ids = ", ".join(_label(f, t.app, many) for f in t.functions)
    files = sorted({f.handler_file for f in t.functions if f.handler_file})
    return f"# {ids}" + (f" ({', '.join(files)})" if files else "") + "\n"


def _yaml_statements(groups: Sequence[tuple[Sequence[str], Sequence[str], Sequence[str]]], pad: str) -> str:
    """A YAML list of Allow statements, each item starting at `pad` (SAM and Serverless alike)."""
    text = ""
    for actions, resources, notes in groups:
        text += _comment(notes, pad)
        text += f"{pad}- Effect: Allow\n{pad}  Action:\n"
        text += "".join(f"{pad}    - {a}\n" for a in actions)
        if len(resources) == 1:
            text += f"{pad}  Resource: {resources[0]}\n"
        else:
            text += f"{pad}  Resource:\n" + "".join(f"{pad}    - {r}\n" for r in resources)
    return text


def render_sam(targets: Sequence[Target], many: bool) -> str:
    parts: list[str] = []
    for t in targets:
        text = _header(t, many) + _comment(_notes(t), "")
        groups = _grouped(t, sam_resource)
        if not groups:
            parts.append(text + "Policies: []" + _nothing(t, "  # ") + "\n")
            continue
        text += "Policies:\n  - Statement:\n" + _yaml_statements(groups, "      ")
        parts.append(text)
    return "\n".join(parts)


# --- serverless ----------------------------------------------------------------------------------


def render_serverless(targets: Sequence[Target], many: bool) -> str:
    parts: list[str] = []
    for t in targets:
        text = _header(t, many) + _comment(_notes(t), "")
        groups = _grouped(t, serverless_resource)
        if not groups:
            parts.append(text + "# no statements" + _nothing(t, ": ") + "\n")
            continue
        fn = t.functions[0]
        key = _serverless_key(fn) if t.app.kind == "serverless" else None
        if key is not None and fn.role != _SERVERLESS_ROLE and len(t.functions) == 1:
            # A role of its own (serverless-iam-roles-per-function): the function's statements.
            text += f"functions:\n  {key}:\n    iamRoleStatements:\n"
        else:
            text += "provider:\n  iam:\n    role:\n      statements:\n"
        text += _yaml_statements(groups, "        ")
        parts.append(text)
    return "\n".join(parts)


# --- terraform -----------------------------------------------------------------------------------


def _tf_name(fn: Function) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]", "_", fn.id.rsplit(".", 1)[-1]) or "function"
    return name if not name[0].isdigit() else f"fn_{name}"


def render_terraform(targets: Sequence[Target], many: bool) -> str:
    parts: list[str] = []
    for t in targets:
        fn = t.functions[0]
        text = _header(t, many) + _comment(_notes(t), "")
        runtime = _runtime(t)
        text += _comment(["the Lambda service also needs, attached to the role: " + ", ".join(runtime)], "")
        groups = _grouped(t, terraform_resource)
        if not groups:
            parts.append(text + "# no policy document" + _nothing(t, ": ") + "\n")
            continue
        text += f'data "aws_iam_policy_document" "{_tf_name(fn)}" {{\n'
        for actions, resources, notes in groups:
            text += _comment(notes, "  ")
            text += '  statement {\n    effect    = "Allow"\n'
            text += "    actions   = [" + ", ".join(json.dumps(a) for a in actions) + "]\n"
            text += "    resources = [" + ", ".join(resources) + "]\n  }\n"
        parts.append(text + "}\n")
    return "\n".join(parts)
