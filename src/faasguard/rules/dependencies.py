"""Vulnerable dependencies: known advisories, malicious packages, unpinned packages and layers.

The package rules read `faasguard.analysis.deps` (imported when a rule runs): the packages each
function ships, from its manifests and lockfiles, matched against OSV data given with `--osv-db`
(or the cache database, or `--online`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from faasguard.findings import Category, Severity
from faasguard.model import Application, SourceRef
from faasguard.model.source import Unknown
from faasguard.rules.base import RelatedStep, Rule, RuleMeta, Violation

if TYPE_CHECKING:
    from faasguard.analysis.deps.analysis import Match, PackageUse

_LOWER = {
    Severity.CRITICAL: Severity.HIGH,
    Severity.HIGH: Severity.MEDIUM,
    Severity.MEDIUM: Severity.LOW,
    Severity.LOW: Severity.LOW,
    Severity.INFO: Severity.INFO,
}
_RAISE = {
    Severity.CRITICAL: Severity.CRITICAL,
    Severity.HIGH: Severity.CRITICAL,
    Severity.MEDIUM: Severity.HIGH,
    Severity.LOW: Severity.MEDIUM,
    Severity.INFO: Severity.LOW,
}

_PACKAGE_REMEDIATION = {
    "sam": "Upgrade the package in the function's requirements.txt / package.json and its lockfile, "
    "then rebuild (`sam build`).",
    "cloudformation": "Upgrade the package in the dependency files of the code the function's "
    "`Code` is built from, and rebuild the deployment package.",
    "serverless": "Upgrade the package in the service's requirements.txt / package.json and its lockfile.",
    "terraform": "Upgrade the package in the dependency files of the folder `archive_file` / "
    "`filename` packages, and rebuild the zip.",
}


def _names(fids: list[str]) -> str:
    fids = sorted(fids)
    return ", ".join(fids[:3]) + (f" and {len(fids) - 3} more" if len(fids) > 3 else "")


def _related(use: PackageUse) -> tuple[RelatedStep, ...]:
    steps = []
    if use.declared is not None:
        steps.append(RelatedStep(use.declared.source, f"{use.declared.name} declared here"))
    if use.via is not None:
        steps.append(
            RelatedStep(use.via.source, f"brought in by {use.via.name} {use.via.version or ''}".rstrip())
        )
    return tuple(steps)


def _package_label(use: PackageUse) -> str:
    pkg = use.package
    return f"{pkg.name} {pkg.version}" if pkg.version else f"{pkg.name} {pkg.spec or '(any version)'}"


def _reach_extra(use: PackageUse) -> dict[str, object]:
    return {
        "reachable": use.reachable,
        "reachability": dict(sorted(use.reach.items())),
        "reached_from_public": use.reached_publicly,
    }


def _package_extra(match: Match) -> dict[str, object]:
    use, group, pkg = match.use, match.group, match.use.package
    best = group.best
    return {
        "ecosystem": pkg.ecosystem,
        "package": pkg.name,
        "version": pkg.version,
        "spec": pkg.spec,
        "affected_example": match.example,
        "advisories": group.ids,
        "advisory": group.primary,
        "summary": group.summary,
        "advisory_severity": group.severity,
        "cvss_score": best.score,
        "cvss_vector": best.vector,
        "fixed": match.fixed,
        "functions": sorted(use.functions),
        "layers": sorted(use.layers),
        "direct": use.direct,
        "via": use.via.name if use.via is not None else None,
        "source": sorted({a.origin for a in group.advisories}),
        **_reach_extra(use),
    }


class KnownVulnerableDependency(Rule):
    """## What it does
    Flags a package a function ships, at a version an OSV advisory lists as vulnerable: one
    finding per dependency line (the lockfile pin, or the manifest line when there is no
    lockfile) and vulnerability. Records that alias each other (a GHSA, its CVE and the PyPA
    `PYSEC` copy) are one finding. A dependency given only as a range is reported when a version
    the advisory lists satisfies the range.

    The severity is the advisory's (its CVSS v3 base score, else the database's own level;
    medium when neither is known), then adjusted by reachability from the handlers: lowered one
    level when no handler shipping it imports it (directly or through the packages it imports),
    raised one level when a handler behind a public endpoint does.

    Vulnerability data comes from `--osv-db` (a faasguard database, an OSV zip export or a folder
    of OSV JSON files), the cache database that `faasguard db update` fills, or `--online`.

    Packages shipped in a layer the application builds itself (its `ContentUri`, `path:` or
    `archive_file` folder) count for every function attaching the layer; the finding points at
    the layer's manifest line.

    `extra` holds `ecosystem`, `package`, `version`, `spec`, `affected_example`, `advisories`,
    `advisory`, `summary`, `advisory_severity`, `cvss_score`, `cvss_vector`, `fixed`,
    `functions`, `layers` (the application's layers shipping it), `direct`, `via`, `source`,
    `reachable` (yes / no / unknown), `reachability` (per function) and `reached_from_public`.

    ## Why is this bad?
    A known vulnerability in a package the function loads is the easiest way in: exploits are
    public, and the function holds the role's credentials (seed threat: vulnerable components).

    ## Example
    ```text
    requests==2.19.1
    ```

    ## Use instead
    ```text
    requests==2.32.4
    ```

    ## References
    - https://ossf.github.io/osv-schema/
    - https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/
    """

    meta = RuleMeta(
        id="FG-DEP-002",
        category=Category.VULNERABLE_DEPENDENCY,
        severity=Severity.HIGH,
        title="Dependency with a known vulnerability",
        cwe=(1395,),
        remediation=_PACKAGE_REMEDIATION,
        references=("https://ossf.github.io/osv-schema/",),
        since="0.2.0",
    )

    def check(self, app: Application) -> Iterator[Violation]:
        from faasguard.analysis.deps.analysis import vulnerabilities

        for match in vulnerabilities(app, self.facts):
            if match.group.malicious:
                continue
            yield self._violation(match)

    def _violation(self, match: Match) -> Violation:
        use, group, pkg = match.use, match.group, match.use.package
        level = Severity(group.severity) if group.severity else Severity.MEDIUM
        note = ""
        if use.reachable == "no":
            level = _LOWER[level]
            note = "; no handler shipping it can load it (severity lowered)"
        elif use.reached_publicly:
            level = _RAISE[level]
            public = sorted(f for f in use.public if use.reach.get(f) == "yes")
            note = f"; loaded by {_names(public)}, behind a public endpoint (severity raised)"
        elif use.reachable == "yes":
            note = "; loaded by a handler"
        others = [i for i in group.ids if i != group.primary]
        ids = group.primary + (f" ({', '.join(others)})" if others else "")
        summary = f": {group.summary}" if group.summary else ""
        if pkg.version is not None:
            fix = f"; fixed in {match.fixed}" if match.fixed else "; no fixed version"
            what = f"{pkg.name} {pkg.version} is affected by {ids}{summary}{fix}"
        else:
            fix = f"; pin {match.fixed} or later" if match.fixed else "; no fixed version"
            what = (
                f"{pkg.name} {pkg.spec or '(any version)'} is not pinned and admits {match.example}, "
                f"affected by {ids}{summary}{fix}"
            )
        via = f" (via {use.via.name})" if use.via is not None else ""
        return Violation(
            pkg.source,
            f"{what}{via}{note}",
            resource=sorted(use.functions)[0],
            severity=level,
            related=_related(use),
            extra=_package_extra(match),
            snippet=f"{pkg.source.path} {pkg.ecosystem}:{pkg.key}@{pkg.version or pkg.spec} {group.primary}",
        )


class MaliciousPackage(Rule):
    """## What it does
    Flags a package a function ships that an OSV `MAL-` record (the OpenSSF malicious-packages
    feed, as exported by OSV) lists as malicious: typosquats, hijacked releases, install-time
    stealers. Always critical, reachable or not: malicious code usually runs when the package is
    installed or loaded, before any handler calls it.

    `extra` holds the same package and advisory fields as FG-DEP-002.

    ## Why is this bad?
    The package was published to steal or to sabotage: whatever it ran in the build or in the
    function (credentials from the environment, the role's session) must be treated as
    compromised (seed threat: vulnerable and malicious components).

    ## Example
    ```json
    {"dependencies": {"a-typosquatted-name": "1.0.0"}}
    ```

    ## Use instead
    ```json
    {"dependencies": {"the-real-package": "2.3.1"}}
    ```

    ## References
    - https://github.com/ossf/malicious-packages
    """

    meta = RuleMeta(
        id="FG-DEP-003",
        category=Category.VULNERABLE_DEPENDENCY,
        severity=Severity.CRITICAL,
        title="Known malicious package",
        cwe=(506,),
        remediation={
            fmt: "Remove the package from the dependency files and lockfile, rebuild, and rotate "
            "every credential the build and the function could read."
            for fmt in ("sam", "cloudformation", "serverless", "terraform")
        },
        references=("https://github.com/ossf/malicious-packages",),
        since="0.2.0",
    )

    def check(self, app: Application) -> Iterator[Violation]:
        from faasguard.analysis.deps.analysis import vulnerabilities

        for match in vulnerabilities(app, self.facts):
            if not match.group.malicious:
                continue
            use, group, pkg = match.use, match.group, match.use.package
            summary = f": {group.summary}" if group.summary else ""
            via = f" (via {use.via.name})" if use.via is not None else ""
            yield Violation(
                pkg.source,
                f"{_package_label(use)} is a known malicious package {', '.join(group.ids)}{summary}{via}; "
                f"shipped by {_names(use.functions)}",
                resource=sorted(use.functions)[0],
                related=_related(use),
                extra=_package_extra(match),
                snippet=f"{pkg.source.path} {pkg.ecosystem}:{pkg.key} {group.primary}",
            )


class UnpinnedDependency(Rule):
    """## What it does
    Flags a dependency a function ships that is given only as a range (`requests>=2.19`,
    `"lodash": "^4.17.0"`, a bare `boto3`) with no lockfile or constraint pinning it. Git, URL
    and path dependencies are not judged here.

    `extra` holds `ecosystem`, `package`, `spec` and `functions`.

    ## Why is this bad?
    Each build installs whatever the index serves that day: a compromised or vulnerable new
    release ships without anyone choosing it, and what runs cannot be told from the repository.

    ## Example
    ```text
    requests>=2.19
    ```

    ## Use instead
    ```text
    requests==2.32.4
    ```
    (or commit the lockfile: poetry.lock, uv.lock, package-lock.json, yarn.lock, pnpm-lock.yaml)

    ## References
    - https://pip.pypa.io/en/stable/topics/repeatable-installs/
    """

    meta = RuleMeta(
        id="FG-DEP-004",
        category=Category.VULNERABLE_DEPENDENCY,
        severity=Severity.LOW,
        title="Dependency not pinned to a version",
        cwe=(1357,),
        remediation={
            fmt: "Pin exact versions (`==` in requirements.txt, an exact version in package.json) "
            "or commit the lockfile of the package manager."
            for fmt in ("sam", "cloudformation", "serverless", "terraform")
        },
        references=("https://pip.pypa.io/en/stable/topics/repeatable-installs/",),
        since="0.2.0",
    )

    def check(self, app: Application) -> Iterator[Violation]:
        from faasguard.analysis.deps.analysis import inventory

        for use in inventory(app, self.facts).uses:
            pkg = use.package
            if pkg.version is not None or pkg.origin != "registry":
                continue
            spec = pkg.spec or "any version"
            yield Violation(
                pkg.source,
                f"{pkg.name} is declared as {spec} with no lockfile pinning it: "
                "each build may install a different version",
                resource=sorted(use.functions)[0],
                extra={
                    "ecosystem": pkg.ecosystem,
                    "package": pkg.name,
                    "spec": pkg.spec,
                    "functions": sorted(use.functions),
                },
                snippet=f"{pkg.source.path} {pkg.ecosystem}:{pkg.key}",
            )


_LAYER_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:([^:]*):([^:]*):layer:([^:]+)(?::(.*))?$")
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")


def _parse_arn(text: str) -> tuple[str, str, str | None] | None:
    """(account, layer name, version) of a layer ARN; `${...}` placeholders stay opaque."""
    holders: list[str] = []

    def hold(m: re.Match[str]) -> str:
        holders.append(m.group(0))
        return f"\x00{len(holders) - 1}\x00"

    m = _LAYER_ARN.match(_PLACEHOLDER.sub(hold, text))
    if m is None:
        return None

    def back(part: str) -> str:
        return re.sub("\x00(\\d+)\x00", lambda h: holders[int(h.group(1))], part)

    version = m.group(4)
    return back(m.group(2)), back(m.group(3)), back(version) if version is not None else None


def _layers(app: Application) -> dict[tuple[SourceRef, str], tuple[object, list[str]]]:
    """Each distinct layer reference (where, text) with its value and the functions using it."""
    out: dict[tuple[SourceRef, str], tuple[object, list[str]]] = {}
    for fn in app.functions:
        for layer in fn.layers:
            key = (layer.source, str(layer.arn))
            out.setdefault(key, (layer.arn, []))[1].append(fn.id)
    return out


class ForeignAccountLayer(Rule):
    """## What it does
    Flags a Lambda layer whose ARN names an AWS account written into the template as a literal
    12-digit number, rather than the stack's own (`${AWS::AccountId}`) or a layer the template
    itself defines. Layers published by vendors and AWS (Powertools, Lambda Insights) are
    reported too: they are someone else's code in the function, to be disclosed and reviewed.

    `extra` holds `arn`, `account`, `layer`, `version` and `functions`.

    ## Why is this bad?
    A layer's code runs inside the function with its role and environment. A layer from another
    account is a component nobody in this repository reviewed, and its owner decides what it
    contains (seed threat: components added without anyone disclosing them).

    ## Example
    ```yaml
    Layers:
      - arn:aws:lambda:us-east-1:123456789012:layer:shared-utils:7
    ```

    ## Use instead
    ```yaml
    Layers:
      - !Ref SharedUtilsLayer   # built from this repository
    ```

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html
    """

    meta = RuleMeta(
        id="FG-DEP-005",
        category=Category.VULNERABLE_DEPENDENCY,
        severity=Severity.MEDIUM,
        title="Lambda layer from another AWS account",
        cwe=(829,),
        remediation={
            "sam": "Build the layer from this repository (AWS::Serverless::LayerVersion) or vendor the "
            "code; if the account is a trusted publisher, record it with a suppression and a reason.",
            "cloudformation": "Define the layer with AWS::Lambda::LayerVersion in the template, or review "
            "and record the publisher with a suppression.",
            "serverless": "Define the layer under `layers:` of the service, or review and record the "
            "publisher.",
            "terraform": "Use an aws_lambda_layer_version of this configuration, or review and record "
            "the publisher.",
        },
        references=("https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html",),
        since="0.2.0",
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for (where, text), (_arn, fids) in _layers(app).items():
            parsed = _parse_arn(text)
            if parsed is None or not re.fullmatch(r"\d{12}", parsed[0]):
                continue
            account, name, version = parsed
            yield Violation(
                where,
                f"Layer {name} of {_names(fids)} comes from AWS account {account}, named literally in the "
                "template: code from outside this stack runs in the function",
                resource=sorted(fids)[0],
                extra={
                    "arn": text,
                    "account": account,
                    "layer": name,
                    "version": version,
                    "functions": sorted(fids),
                },
                snippet=f"{account}:{name}",
            )


class UnpinnedLayerVersion(Rule):
    """## What it does
    Flags a Lambda layer reference whose version is not fixed in the repository: an ARN without
    a version number (or with a placeholder for it), or an ARN known only at deploy time (a
    parameter without a value, an SSM `{{resolve:...}}` reference) - the latter at low severity.
    Layers defined in the same template are not flagged.

    `extra` holds `arn`, `reason` and `functions`.

    ## Why is this bad?
    Whoever controls the value (a parameter store entry, a pipeline variable, the layer's
    owner publishing a new version) changes the code inside the function without a change to
    this repository, and nobody reviews it (seed threat: undisclosed components).

    ## Example
    ```yaml
    Layers:
      - '{{resolve:ssm:/layers/shared-utils}}'
    ```

    ## Use instead
    ```yaml
    Layers:
      - arn:aws:lambda:us-east-1:111122223333:layer:shared-utils:7
    ```

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html
    """

    meta = RuleMeta(
        id="FG-DEP-006",
        category=Category.VULNERABLE_DEPENDENCY,
        severity=Severity.MEDIUM,
        title="Lambda layer version not pinned",
        cwe=(1357,),
        remediation={
            "sam": "Reference the layer by its full LayerVersion ARN with a version number, or `!Ref` a "
            "LayerVersion defined in the template.",
            "cloudformation": "Use a full LayerVersion ARN ending in a version number, or `!Ref` an "
            "AWS::Lambda::LayerVersion of the template.",
            "serverless": "Use a full layer version ARN, or `{Ref: NameLambdaLayer}` of a layer of the "
            "service.",
            "terraform": "Use `aws_lambda_layer_version.x.arn` or a full ARN with a version number.",
        },
        references=("https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html",),
        since="0.2.0",
    )

    def check(self, app: Application) -> Iterator[Violation]:
        for (where, text), (arn, fids) in _layers(app).items():
            reason, severity = self._reason(arn, text)
            if reason is None:
                continue
            label = "(unresolved)" if isinstance(arn, Unknown) else text
            yield Violation(
                where,
                f"Layer {label} of {_names(fids)}: {reason}",
                resource=sorted(fids)[0],
                severity=severity,
                extra={
                    "arn": text if not isinstance(arn, Unknown) else None,
                    "reason": reason,
                    "functions": sorted(fids),
                },
                snippet=text if not isinstance(arn, Unknown) else f"unknown {arn.reason}",
            )

    @staticmethod
    def _reason(arn: object, text: str) -> tuple[str | None, Severity | None]:
        if isinstance(arn, Unknown):
            return (
                f"the ARN is known only at deploy time ({arn.reason}), so its version is not pinned",
                Severity.LOW,
            )
        if "{{resolve:" in text:
            return "the ARN is resolved at deploy time, so its version is not pinned here", Severity.LOW
        parsed = _parse_arn(text)
        if parsed is None:
            return None, None
        version = parsed[2]
        if version is None or version == "":
            return "the ARN has no version number", None
        if not version.isdigit():
            return f"the version is {version!r}, not a number fixed in the template", None
        return None, None
