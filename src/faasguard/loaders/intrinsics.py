"""CloudFormation intrinsic functions, evaluated statically.

`Resolver.resolve` turns a parsed template value into plain values: parameters take their
(overridden) defaults, conditions are evaluated, `Sub`/`Join`/`Select`/`Split`/`FindInMap`/`If`
are computed. A reference to a resource becomes a `RefTo` (the model links it to the element the
template defines); inside a string it becomes the placeholder `${Id}` / `${Id.Attr}`. What needs
a deployed account (`ImportValue`, `GetAZs`, an unresolvable condition) becomes `Unknown`.
Lines survive: rebuilt mappings and lists keep theirs, and a computed string keeps the line of
the intrinsic that produced it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from faasguard.loaders.nodes import LList, LMap, LStr, line_of
from faasguard.model import SourceRef, Unknown


@dataclass(frozen=True, slots=True)
class RefTo:
    """A reference to a resource of the same template (Ref, GetAtt, or a Sub placeholder)."""

    logical_id: str
    attribute: str | None = None

    def placeholder(self) -> str:
        return "${" + self.logical_id + ("." + self.attribute if self.attribute else "") + "}"


class _NoValue:
    """AWS::NoValue: the property is removed."""


NO_VALUE = _NoValue()

# Pseudo parameters: the partition and URL suffix are the same for nearly every account; the
# others are per deployment, so strings keep them as placeholders and rules treat them as opaque.
PSEUDO_FIXED = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
PSEUDO_OPAQUE = ("AWS::Region", "AWS::AccountId", "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs")

_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")
_MAX_DEPTH = 100  # intrinsic nesting beyond this is not a template: stop instead of recursing


def ref_id(value: object) -> str | None:
    """The logical id a resolved value points at (RefTo, or a string that is only a placeholder)."""
    if isinstance(value, RefTo):
        return value.logical_id
    if isinstance(value, str):
        m = re.fullmatch(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}", value)
        if m:
            return m.group(1)
    return None


class Resolver:
    def __init__(
        self,
        path: str,
        parameters: Mapping[str, object],
        resources: Mapping[str, Any],
        conditions: Mapping[str, Any],
        mappings: Mapping[str, Any],
    ) -> None:
        self.path = path
        self.parameters = dict(parameters)
        self.resources = resources
        self._condition_defs = conditions
        self._conditions: dict[str, bool | Unknown] = {}
        self._evaluating: set[str] = set()
        self.mappings = mappings
        self.unknowns = 0

    # -- public ---------------------------------------------------------------------------------

    def resolve(self, value: Any, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            return self._unknown("intrinsics nested too deeply", value)
        if isinstance(value, (LMap, dict)):
            if len(value) == 1:
                key = next(iter(value))
                if key == "Ref" or (key.startswith("Fn::") and key != "Fn::Transform"):
                    return self._intrinsic(key, value[key], value, depth)
                if key == "Condition" and isinstance(value[key], str) and not isinstance(value, LMap):
                    return self.condition(value[key])
            out = LMap(line_of(value), getattr(value, "end_line", 0))
            key_lines = getattr(value, "key_lines", {})
            for k, v in value.items():
                r = self.resolve(v, depth + 1)
                if r is NO_VALUE:
                    continue
                out[k] = r
                if k in key_lines:
                    out.key_lines[k] = key_lines[k]
            return out
        if isinstance(value, list):
            lst = LList(line_of(value), getattr(value, "end_line", 0))
            for item in value:
                r = self.resolve(item, depth + 1)
                if r is not NO_VALUE:
                    lst.append(r)
            return lst
        return value

    def condition(self, name: str) -> bool | Unknown:
        if name in self._conditions:
            return self._conditions[name]
        if name not in self._condition_defs or name in self._evaluating:
            return self._unknown(f"condition {name} not defined or circular", None)
        self._evaluating.add(name)
        result = self._truth(self.resolve(self._condition_defs[name]))
        self._evaluating.discard(name)
        self._conditions[name] = result
        return result

    # -- helpers --------------------------------------------------------------------------------

    def _unknown(self, reason: str, node: object) -> Unknown:
        self.unknowns += 1
        line = line_of(node)
        return Unknown(reason, SourceRef(self.path, line, line) if line else None)

    @staticmethod
    def _truth(value: object) -> bool | Unknown:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if isinstance(value, Unknown):
            return value
        return Unknown("condition is not a boolean")

    def _str(self, value: object, line: int) -> LStr:
        return LStr(value, line) if isinstance(value, str) else LStr(str(value), line)

    def _as_text(self, value: object) -> str | None:
        """A value as it appears inside Sub/Join text; None when it has no textual form."""
        if isinstance(value, RefTo):
            return value.placeholder()
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
        return None

    def _ref(self, name: object, node: object) -> Any:
        line = line_of(node)
        if not isinstance(name, str):
            return self._unknown("Ref to a non-string", node)
        if name in self.parameters:
            value = self.parameters[name]
            if isinstance(value, str):
                return LStr(value, line)
            if isinstance(value, list):
                lst = LList(line, line)
                lst.extend(value)
                return lst
            return value
        if name in PSEUDO_FIXED:
            return LStr(PSEUDO_FIXED[name], line)
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in PSEUDO_OPAQUE:
            return LStr("${" + name + "}", line)
        if name in self.resources:
            return RefTo(name)
        head, _, attr = name.partition(".")
        if attr and head in self.resources:  # SAM: `!Ref Fn.Alias` / `!Ref Fn.Version`
            return RefTo(head, attr)
        return self._unknown(f"Ref {name} names no parameter or resource", node)

    def _intrinsic(self, key: str, arg: Any, node: Any, depth: int) -> Any:
        line = line_of(node)
        if key == "Ref":
            return self._ref(self.resolve(arg, depth + 1) if not isinstance(arg, str) else arg, node)
        if key == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else arg
            if isinstance(parts, list) and len(parts) == 2:
                rid = parts[0]
                attr = self.resolve(parts[1], depth + 1)
                if isinstance(rid, str) and rid in self.resources and isinstance(attr, str):
                    return RefTo(rid, str(attr))
            return self._unknown("GetAtt of an unknown resource", node)
        if key == "Fn::Sub":
            return self._sub(arg, node, depth)
        if key == "Fn::Join":
            if isinstance(arg, list) and len(arg) == 2:
                delim = self.resolve(arg[0], depth + 1)
                items = self.resolve(arg[1], depth + 1)
                if isinstance(delim, str) and isinstance(items, list):
                    texts = [self._as_text(i) for i in items]
                    if all(t is not None for t in texts):
                        return LStr(str(delim).join(t for t in texts if t is not None), line)
            return self._unknown("Join with parts that cannot be resolved", node)
        if key == "Fn::If":
            if isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str):
                cond = self.condition(arg[0])
                if isinstance(cond, bool):
                    return self.resolve(arg[1] if cond else arg[2], depth + 1)
            return self._unknown("If on a condition that cannot be evaluated", node)
        if key == "Fn::Select":
            if isinstance(arg, list) and len(arg) == 2:
                index = self.resolve(arg[0], depth + 1)
                items = self.resolve(arg[1], depth + 1)
                try:
                    i = int(index)
                except (TypeError, ValueError):
                    i = -1
                if isinstance(items, list) and 0 <= i < len(items):
                    return items[i]
            return self._unknown("Select that cannot be evaluated", node)
        if key == "Fn::Split":
            if isinstance(arg, list) and len(arg) == 2:
                delim = self.resolve(arg[0], depth + 1)
                text = self.resolve(arg[1], depth + 1)
                if isinstance(delim, str) and delim and isinstance(text, str):
                    out = LList(line, line)
                    out.extend(LStr(p, line) for p in str(text).split(str(delim)))
                    return out
            return self._unknown("Split that cannot be evaluated", node)
        if key == "Fn::FindInMap":
            return self._find_in_map(arg, node, depth)
        if key in ("Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not"):
            return self._logic(key, arg, node, depth)
        if key == "Fn::Base64":
            return self.resolve(arg, depth + 1)
        if key == "Fn::ToJsonString":
            value = self.resolve(arg, depth + 1)
            try:
                return LStr(json.dumps(value, default=self._json_default, sort_keys=False), line)
            except (TypeError, ValueError):
                return self._unknown("ToJsonString of an unresolved value", node)
        if key == "Fn::Length":
            value = self.resolve(arg, depth + 1)
            return len(value) if isinstance(value, list) else self._unknown("Length of a non-list", node)
        if key == "Fn::ImportValue":
            return self._unknown("ImportValue from another stack", node)
        if key == "Fn::GetAZs":
            return self._unknown("availability zones of the deployed region", node)
        if key == "Fn::Cidr":
            return self._unknown("Cidr", node)
        return self._unknown(f"{key} is not evaluated", node)

    @staticmethod
    def _json_default(value: object) -> object:
        if isinstance(value, RefTo):
            return value.placeholder()
        if isinstance(value, Unknown):
            return str(value)
        raise TypeError

    def _sub(self, arg: Any, node: Any, depth: int) -> Any:
        line = line_of(node)
        variables: dict[str, Any] = {}
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            template = arg[0]
            for k, v in arg[1].items():
                variables[k] = self.resolve(v, depth + 1)
        else:
            template = arg
        if not isinstance(template, str):
            return self._unknown("Sub of a non-string", node)

        def repl(m: re.Match[str]) -> str:
            name = m.group(1).strip()
            if name in variables:
                text = self._as_text(variables[name])
                return text if text is not None else "${" + name + "}"
            if name in self.parameters:
                text = self._as_text(self.parameters[name])
                return text if text is not None else "${" + name + "}"
            if name in PSEUDO_FIXED:
                return PSEUDO_FIXED[name]
            return "${" + name + "}"  # resources, pseudo parameters, unknowns: keep the placeholder

        text = _SUB_VAR.sub(repl, template).replace("${!", "${")
        return LStr(text, line)

    def _find_in_map(self, arg: Any, node: Any, depth: int) -> Any:
        if isinstance(arg, list) and len(arg) >= 3:
            name, k1, k2 = (self.resolve(a, depth + 1) for a in arg[:3])
            default = None
            if len(arg) == 4 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
                default = self.resolve(arg[3]["DefaultValue"], depth + 1)
            table = self.mappings.get(name) if isinstance(name, str) else None
            if isinstance(table, dict) and isinstance(k1, str):
                row = table.get(k1)
                if isinstance(row, dict) and isinstance(k2, str) and k2 in row:
                    return self.resolve(row[k2], depth + 1)
            if default is not None:
                return default
        return self._unknown("FindInMap with keys that cannot be resolved", node)

    def _logic(self, key: str, arg: Any, node: Any, depth: int) -> bool | Unknown:
        if not isinstance(arg, list):
            return self._unknown(f"{key} without a list", node)
        if key == "Fn::Equals" and len(arg) == 2:
            a, b = (self.resolve(x, depth + 1) for x in arg)
            if isinstance(a, (Unknown, RefTo)) or isinstance(b, (Unknown, RefTo)):
                return self._unknown("Equals on an unknown value", node)
            return str(a) == str(b)
        values: list[bool | Unknown] = []
        for item in arg:
            if isinstance(item, dict) and list(item) == ["Condition"] and isinstance(item["Condition"], str):
                values.append(self.condition(item["Condition"]))
            else:
                values.append(self._truth(self.resolve(item, depth + 1)))
        if key == "Fn::Not" and len(values) == 1:
            v = values[0]
            return (not v) if isinstance(v, bool) else v
        if any(isinstance(v, Unknown) for v in values):
            if key == "Fn::And" and any(v is False for v in values):
                return False
            if key == "Fn::Or" and any(v is True for v in values):
                return True
            return self._unknown(f"{key} on an unknown value", node)
        return all(values) if key == "Fn::And" else any(values)
