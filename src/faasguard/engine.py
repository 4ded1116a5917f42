"""The scan pipeline: discover -> load -> rules -> findings. One way, no shared mutable state."""

from __future__ import annotations

import gc
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from faasguard.analysis.facts import Facts
from faasguard.api import ScanOptions
from faasguard.config import Config
from faasguard.findings import (
    Coverage,
    Finding,
    Location,
    Related,
    ScanError,
    ScanResult,
    Severity,
)
from faasguard.model import Application
from faasguard.rules.base import Rule

if TYPE_CHECKING:
    from faasguard.loaders.cloudformation import LoadOptions
    from faasguard.loaders.discover import Candidate

    LoaderFn = Callable[[Candidate, Path, LoadOptions], tuple[list[Application], list[ScanError]]]


def _fingerprint(app: str, rule: str, resource: str, snippet: str) -> str:
    # Line numbers are deliberately left out so the fingerprint survives edits above the finding.
    norm = re.sub(r"\s+", " ", snippet).strip()
    norm = re.sub(r"(?<=[a-z.])\:\d+", "", norm)  # "app.py:22" -> "app.py"
    text = "\x1f".join((app, rule, resource, norm))
    # surrogatepass: names from undecodable file names or JSON escapes hold lone surrogates
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:32]


# Loaders by candidate kind: "module:function", imported only when a project has such files.
# Each takes (candidate, root, LoadOptions) and returns (applications, errors).
LOADERS: dict[str, str] = {
    "cloudformation": "faasguard.loaders.cloudformation:load_candidate",
    "cdk": "faasguard.loaders.cloudformation:load_candidate",
    "serverless": "faasguard.loaders.serverless:load_candidate",
    "serverless-ts": "faasguard.loaders.serverless:load_candidate",
    "chalice": "faasguard.loaders.chalice:load_candidate",
    "terraform": "faasguard.loaders.terraform:load_candidate",
}


def _loader(kind: str) -> LoaderFn | None:
    import importlib

    target = LOADERS.get(kind)
    if target is None:
        return None
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None  # that input format is not supported yet
        raise
    fn: LoaderFn = getattr(module, attr)
    return fn


def load_applications(
    root: Path, options: ScanOptions, only: str | None = None
) -> tuple[list[Application], list[ScanError], int]:
    loading = _Loading(root, options, only)
    apps = list(loading)
    return apps, loading.errors, loading.files_seen


class _Loading:
    """Discovery, then the applications in candidate order, each as soon as it is loaded (so the
    scan can run rules on one while worker processes load the next). `errors` is complete once
    the iteration ends."""

    def __init__(self, root: Path, options: ScanOptions, only: str | None = None) -> None:
        from faasguard.loaders.cloudformation import LoadOptions
        from faasguard.loaders.discover import discover

        found = discover(root, options.limits, options.exclude)
        self.root = root
        self.options = options
        self.files_seen = found.files_seen
        self.errors = list(found.errors)
        self.candidates = [c for c in found.candidates if only is None or c.rel == only]
        if only is not None:
            self.errors = [e for e in self.errors if e.path == only]
        self.load_options = LoadOptions(
            options.parameters,
            options.config_env,
            options.limits,
            stage=options.stage,
            params=options.params,
            var_files=options.var_files,
            variables=options.variables,
        )

    def load_one(self, cand: Candidate) -> tuple[list[Application], list[ScanError]]:
        load = _loader(cand.kind)
        if load is None:
            return [], [
                ScanError(
                    cand.rel, None, f"{cand.kind} projects are not read yet: not scanned", "unsupported"
                )
            ]
        try:
            return load(cand, self.root, self.load_options)
        except RecursionError:
            return [], [ScanError(cand.rel, None, "nested too deeply to evaluate", "bound")]
        except Exception as exc:  # a loader bug must not end the scan: report it and go on
            return [], [ScanError(cand.rel, None, f"internal error while loading: {exc!r}", "internal")]

    def __iter__(self) -> Iterator[Application]:
        from faasguard.loaders.pool import load_all, workers_for

        candidates, options = self.candidates, self.options
        total = len(candidates)

        def progress(i: int, rel: str) -> None:
            if options.progress is not None:
                options.progress(i, total, rel)

        workers = workers_for(total, options.workers)
        parallel = workers > 1
        if parallel:  # import the loaders once, here, so every forked worker starts with them
            for kind in sorted({c.kind for c in candidates}):
                _loader(kind)
        # A template that another application includes (resources a serverless.yml pulls in
        # with `${file()}`) is part of that application, not an application of its own: with
        # Serverless projects in the scan, applications are known only once all are loaded.
        hold = any(c.kind.startswith("serverless") for c in candidates)
        held: list[Application] = []
        seen: set[ScanError] = set()
        results = load_all(candidates, self.load_one, progress, lambda c: c.rel, workers, lambda c: c.kind)
        for cand, (loaded, errs) in zip(candidates, results, strict=True):
            if parallel and cand.kind == "terraform":
                # The Terraform loader reports a shared module's problems once per scan, and
                # each worker saw only part of the scan: drop what another worker reported.
                errs = [e for e in errs if e not in seen]
                seen.update(errs)
            self.errors.extend(errs)
            if hold:
                held.extend(loaded)
            else:
                yield from loaded
        included = {f for a in held if a.kind == "serverless" for f in a.files[1:]}
        yield from (a for a in held if a.source.path not in included)
        if options.progress is not None:
            options.progress(total, total, "")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


class _RuleSet:
    """The rules that apply under one configuration, instantiated once per distinct setting."""

    def __init__(self, options: ScanOptions) -> None:
        self.options = options
        self._cache: dict[tuple[object, ...], list[Rule]] = {}

    def for_config(self, config: Config) -> tuple[list[Rule], dict[str, Severity]]:
        from faasguard.rules.base import all_rules

        opts = self.options
        select = opts.select or config.select or frozenset()
        skip = opts.skip | config.skip
        pin = _version(config.rules_version) if config.rules_version else None
        settings = opts.settings
        if config.budget_usd_per_day is not None and settings.budget_usd_per_day is None:
            settings = replace(settings, budget_usd_per_day=config.budget_usd_per_day)
        if config.account_concurrency is not None:
            settings = replace(settings, account_concurrency=config.account_concurrency)
        key = (select, skip, pin, settings)
        if key not in self._cache:
            self._cache[key] = [
                cls(settings)
                for rid, cls in all_rules().items()
                if (not select or rid in select)
                and rid not in skip
                and (pin is None or _version(cls.meta.since) <= pin)
            ]
        return self._cache[key], {**config.severity, **opts.severity_overrides}


def run_rules(
    app: Application, rules: list[Rule], severities: dict[str, Severity], facts: Facts | None = None
) -> tuple[list[Finding], list[ScanError]]:
    findings: list[Finding] = []
    errors: list[ScanError] = []
    for rule in rules:
        if facts is not None:
            rule.facts = facts
        meta = rule.meta
        try:
            violations = list(rule.check(app))
        except Exception as exc:  # one rule's bug must not hide the others' findings
            errors.append(ScanError(app.source.path, None, f"rule {meta.id} failed: {exc!r}", "internal"))
            continue
        for v in violations:
            severity = severities.get(meta.id) or v.severity or meta.severity
            resource = app.construct_paths.get(v.resource, v.resource)
            findings.append(
                Finding(
                    rule=meta.id,
                    category=meta.category,
                    severity=severity,
                    title=meta.title,
                    message=v.message,
                    location=Location(v.source.path, v.source.line, v.source.end_line or v.source.line),
                    application=app.root,
                    resource=resource,
                    related=tuple(Related(r.source.path, r.source.line, r.message) for r in v.related),
                    extra=dict(v.extra),
                    fingerprint=_fingerprint(app.root, meta.id, resource, v.snippet or v.message),
                )
            )
    return findings, errors


_gc_lock = threading.Lock()
_gc_scans = 0
_gc_saved: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A scan allocates millions of short-lived, acyclic objects (tokens, parse trees, values).
    Under the default thresholds the cycle collector runs hundreds of times and walks the
    whole heap every few dozen runs: a third of a Terraform scan's time. Larger thresholds
    keep cycles collected and memory bounded at a fraction of the cost, and what exists before
    the scan (imported modules, their data) is frozen out of the collections until it ends.
    Counted, so scans on threads restore the caller's setting only when the last one ends."""
    global _gc_scans, _gc_saved
    with _gc_lock:
        if _gc_scans == 0:
            _gc_saved = gc.get_threshold()
            first, second, third = _gc_saved
            gc.set_threshold(max(first, 100_000), max(second, 20), max(third, 100))
            gc.freeze()
        _gc_scans += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_scans -= 1
            if _gc_scans == 0:
                gc.unfreeze()
                gc.set_threshold(*_gc_saved)


def run_scan(path: Path, options: ScanOptions) -> ScanResult:
    with _fewer_collections():
        return _run_scan(path, options)


def _run_scan(path: Path, options: ScanOptions) -> ScanResult:
    from faasguard.config import EMPTY, ConfigError, config_for
    from faasguard.suppress import Suppressor

    start = time.perf_counter()
    root = path.resolve()
    if not root.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    only = None
    if root.is_file():  # a single template: scan its folder, keep only that file
        only = root.name
        root = root.parent
    errors: list[ScanError] = []

    def config_of(folder: Path) -> Config:
        if not options.use_config:
            return EMPTY
        try:
            return config_for(folder, root)
        except ConfigError as exc:
            error = ScanError(exc.path, None, exc.message, "config")
            if error not in errors:
                errors.append(error)
            return EMPTY

    root_config = config_of(root)
    options = replace(
        options,
        exclude=(*options.exclude, *root_config.exclude),
        limits=root_config.apply_limits(options.limits),
    )
    loading = _Loading(root, options, only)
    changed: set[str] | None = None
    if options.changed_since is not None:
        from faasguard.changes import changed_files, touched

        changed = changed_files(root, options.changed_since)
    ruleset = _RuleSet(options)
    facts = Facts(root, options)
    suppressor = Suppressor(root, options.settings.current_date())
    findings: list[Finding] = []
    suppressed = []
    apps: list[Application] = []
    mark = len(errors)
    for app in loading:  # each application's rules run as soon as it is loaded
        if changed is not None and not touched(app, changed):
            continue
        apps.append(app)
        config = config_of(root / app.root)
        rules, severities = ruleset.for_config(config)
        app_findings, rule_errors = run_rules(app, rules, severities, facts)
        if not options.keep_models:  # the HTML report reads them after the scan
            facts.forget(app)
        errors.extend(rule_errors)
        for f in app_findings:
            hit = suppressor.match(f, app, config)
            if hit is None:
                findings.append(f)
            else:
                suppressed.append(hit)
    errors[mark:mark] = loading.errors  # where a load-then-check scan would have them
    errors.extend([e for e in facts.errors if e not in errors])  # analyses' own errors
    errors.extend(suppressor.errors())
    baselined = 0
    if options.baseline is not None:
        known = load_baseline(options.baseline)
        before = len(findings)
        findings = [f for f in findings if f.fingerprint not in known]
        baselined = before - len(findings)
    findings.sort(key=Finding.sort_key)
    unique = list({f.fingerprint + f.location.path + str(f.location.line): f for f in findings}.values())
    coverage = Coverage(
        applications=len(apps),
        functions=sum(len(a.functions) for a in apps),
        handlers_mapped=sum(1 for a in apps for f in a.functions if f.handler_file),
        unknown_values=sum(a.unknowns for a in apps),
        files=loading.files_seen,
        files_in_errors=len({e.path for e in errors}),
        suppressed=len(suppressed),
        baselined=baselined,
    )
    return ScanResult(
        root=str(path),
        findings=unique,
        errors=sorted(errors, key=lambda e: (e.path, e.line or 0, e.message)),
        coverage=coverage,
        duration_s=round(time.perf_counter() - start, 3),
        applications=sorted({a.root for a in apps}),
        app_exposure=_exposure(apps, unique),
        suppressed=[(s.finding, s.reason, s.where) for s in suppressed],
        models=list(apps) if options.keep_models else [],
        facts=facts if options.keep_models else None,
        notes=sorted(facts.notes, key=lambda e: (e.path, e.line or 0, e.message)),
    )


def load_baseline(path: Path) -> set[str]:
    """Fingerprints of a baseline file written by `--write-baseline`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    prints = data.get("fingerprints") if isinstance(data, dict) else None
    if not isinstance(prints, list):
        raise ValueError(f"{path} is not a faasguard baseline (no fingerprints list)")
    return {str(p) for p in prints}


def baseline_json(result: ScanResult) -> str:
    """A baseline of every finding in a result: fingerprints plus enough context to review them."""
    entries = sorted({f.fingerprint for f in result.findings})
    context = sorted(
        (
            {
                "fingerprint": f.fingerprint,
                "rule": f.rule,
                "application": f.application,
                "resource": f.resource,
            }
            for f in result.findings
        ),
        key=lambda e: (e["application"], e["rule"], e["resource"], e["fingerprint"]),
    )
    return (
        json.dumps(
            {"version": 1, "tool": "faasguard", "fingerprints": entries, "findings": context}, indent=2
        )
        + "\n"
    )


def _exposure(apps: list[Application], findings: list[Finding]) -> dict[str, dict[str, float]]:
    """Per application, the worst-case flood spend (filled in by the denial-of-wallet analysis)."""
    out: dict[str, dict[str, float]] = {}
    for f in findings:
        total = f.extra.get("app_usd_per_hour")
        if isinstance(total, (int, float)):
            out[f.application] = {"usd_per_hour": float(total), "usd_per_day": float(total) * 24}
    return out


__all__ = ["Severity", "run_scan"]
