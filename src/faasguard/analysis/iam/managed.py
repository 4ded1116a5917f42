"""The reviewed catalogue of common AWS managed policies, and managed-policy ARN parsing.

The catalogue (data/managed_policies.json) says, for each policy it knows, its path, the actions it
allows on every resource and a class. A policy it does not know is unknown: callers report that,
they never guess from the name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType


class PolicyClass(StrEnum):
    ADMIN = "admin"  # can do, or grant itself, anything
    FULL_ACCESS = "full-access"  # writes across a whole service
    READ_ONLY = "read-only"
    SCOPED = "scoped"  # the narrow grants an execution role needs


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    name: str
    path: str
    kind: PolicyClass
    actions: tuple[str, ...]  # allowed on every resource, as IAM writes them
    not_actions: tuple[str, ...] = ()  # an Allow with NotAction: everything but these
    pass_role_to: tuple[str, ...] = ()  # services its iam:PassRole is limited to (empty: any)
    lambda_execution: bool = False  # one of AWS's policies for Lambda execution roles

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::aws:policy{self.path}{self.name}"


@dataclass(frozen=True, slots=True)
class PolicyArn:
    account: str  # "aws" for an AWS managed policy
    path: str
    name: str

    @property
    def aws_managed(self) -> bool:
        return self.account == "aws"


# Partition and account may still be placeholders (`${AWS::AccountId}`), which hold colons.
_PART = r"(?:\$\{[^}]*\}|[^:$]*)"
_ARN = re.compile(rf"arn:{_PART}:iam::(?P<account>{_PART}):policy(?P<path>/(?:.*/)?)(?P<name>[^/]+)")


def parse_arn(arn: str) -> PolicyArn | None:
    """The parts of a managed policy ARN; None when the text is not one."""
    m = _ARN.fullmatch(arn.strip())
    if m is None:
        return None
    return PolicyArn(m["account"], m["path"], m["name"])


@cache
def catalogue() -> Mapping[str, ManagedPolicy]:
    """Known AWS managed policies by name (names are unique across paths)."""
    text = resources.files("faasguard").joinpath("data", "managed_policies.json").read_text("utf-8")
    raw = json.loads(text)["policies"]
    return MappingProxyType(
        {
            name: ManagedPolicy(
                name=name,
                path=entry["path"],
                kind=PolicyClass(entry["class"]),
                actions=tuple(entry["actions"]),
                not_actions=tuple(entry.get("not_actions", ())),
                pass_role_to=tuple(entry.get("pass_role_to", ())),
                lambda_execution=bool(entry.get("lambda_execution", False)),
            )
            for name, entry in raw.items()
        }
    )


def lookup(arn: str) -> ManagedPolicy | None:
    """The catalogue entry for an AWS managed policy ARN.

    Matched by name: SAM writes bare names as `arn:aws:iam::aws:policy/<Name>` whatever the real
    path (service-role/...), and AWS managed policy names are unique.
    """
    parsed = parse_arn(arn)
    if parsed is None or not parsed.aws_managed:
        return None
    return catalogue().get(parsed.name)


@cache
def execution_baseline() -> frozenset[str]:
    """Actions (lower case) AWS's own Lambda execution-role policies grant on every resource.

    Granting these on "*" is the norm AWS itself sets (log groups, VPC network interfaces,
    tracing, event-source polling), so a rule about wildcard resources leaves them alone.
    """
    return frozenset(a.lower() for p in catalogue().values() if p.lambda_execution for a in p.actions)
