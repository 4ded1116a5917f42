"""OSV matching: range events, version orders (property-tested against packaging and
node-semver), severities from CVSS, aliases, withdrawn and malicious records, names."""

from __future__ import annotations

import json
import random
from functools import cmp_to_key
from typing import Any

import nodesemver
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from faasguard.analysis.deps.osv import (
    Advisory,
    build_affected,
    cvss2_score,
    cvss3_score,
    fixed_after,
    group_aliases,
    is_affected,
    parse_record,
    record_severity,
)
from faasguard.analysis.deps.versions import NPM, PYPI, lower_bounds, normalize, satisfies, semver_key


def advisory(ecosystem: str, record: dict[str, Any]) -> Advisory:
    parsed = parse_record(record)
    assert parsed is not None
    row, rows = parsed
    affected = tuple(build_affected(ecosystem, json.loads(r.data)) for r in rows if r.ecosystem == ecosystem)
    return Advisory(
        row.id, row.aliases, row.summary, row.severity, row.score, row.vector, row.malicious, "", affected
    )


def record(
    ecosystem: str, name: str, ranges: list[dict[str, Any]], versions: list[str] | None = None, **more: Any
) -> dict[str, Any]:
    affected: dict[str, Any] = {"package": {"ecosystem": ecosystem, "name": name}, "ranges": ranges}
    if versions is not None:
        affected["versions"] = versions
    return {
        "id": more.pop("id", "TEST-1"),
        "modified": "2024-01-01T00:00:00Z",
        "affected": [affected],
        **more,
    }


# --- version orders -----------------------------------------------------------------------------

_ident = st.one_of(
    st.integers(0, 30).map(str),
    st.text("abcrx-", min_size=1, max_size=4).filter(lambda s: not s.isdigit()),
)
semvers = st.builds(
    lambda a, b, c, pre, build: (
        f"{a}.{b}.{c}" + (f"-{'.'.join(pre)}" if pre else "") + (f"+{build}" if build else "")
    ),
    st.integers(0, 4),
    st.integers(0, 4),
    st.integers(0, 4),
    st.lists(_ident, max_size=3),
    st.sampled_from(["", "build.5", "sha.abc"]),
)
pep440s = st.builds(
    lambda rel, pre, post, dev: ".".join(map(str, rel)) + pre + post + dev,
    st.lists(st.integers(0, 4), min_size=1, max_size=3),
    st.sampled_from(["", "a1", "b2", "rc1", "rc10"]),
    st.sampled_from(["", ".post1"]),
    st.sampled_from(["", ".dev0", ".dev3"]),
)


def _sign(x: int) -> int:
    return (x > 0) - (x < 0)


@given(semvers, semvers)
def test_semver_order_agrees_with_node_semver(a: str, b: str) -> None:
    ka, kb = semver_key(a), semver_key(b)
    assert ka is not None and kb is not None
    mine = _sign((ka > kb) - (ka < kb))
    assert mine == _sign(nodesemver.compare(a, b, False))


def _npm_cmp(a: str, b: str) -> int:
    return int(nodesemver.compare(a, b, False))


def _intervals_record(
    ecosystem: str, versions: list[str], kinds: list[str], rnd: random.Random
) -> tuple[dict[str, Any], list[tuple[str, str, str | None]]]:
    """Disjoint intervals over sorted distinct versions, as OSV events (shuffled) and as an oracle."""
    events: list[dict[str, str]] = []
    oracle: list[tuple[str, str, str | None]] = []  # (low, kind of high, high)
    i = 0
    for kind in kinds:
        if i >= len(versions):
            break
        low = versions[i]
        if kind == "open" or i + 1 >= len(versions):
            events.append({"introduced": low})
            oracle.append((low, "open", None))
            break
        high = versions[i + 1]
        events += [{"introduced": low}, {kind: high}]
        oracle.append((low, kind, high))
        i += 2 if kind == "fixed" else 3  # last_affected keeps the version after it unaffected
    rnd.shuffle(events)
    rtype = "SEMVER" if ecosystem == NPM else "ECOSYSTEM"
    return record(ecosystem, "pkg", [{"type": rtype, "events": events}]), oracle


def _oracle(version: str, oracle: list[tuple[str, str, str | None]], cmp: Any) -> bool:
    for low, kind, high in oracle:
        if low != "0" and cmp(version, low) < 0:  # OSV: introduced "0" is below every version
            continue
        if (
            kind == "open"
            or (kind == "fixed" and cmp(version, high) < 0)
            or (kind == "last_affected" and cmp(version, high) <= 0)
        ):
            return True
    return False


kinds = st.lists(st.sampled_from(["fixed", "fixed", "last_affected", "open"]), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.lists(pep440s, min_size=1, max_size=12), kinds, pep440s, st.integers(0, 1000))
def test_pypi_range_matching_agrees_with_packaging(
    pool: list[str], kind_list: list[str], probe: str, seed: int
) -> None:
    # distinct by PEP 440 equality; a literal "0" is OSV's "below everything", not a boundary here
    distinct = {Version(v): v for v in pool if v != "0"}
    versions = [distinct[k] for k in sorted(distinct)]
    if not versions:
        return

    def cmp(a: str, b: str) -> int:
        va, vb = Version(a), Version(b)
        return (va > vb) - (va < vb)

    rec, oracle = _intervals_record(PYPI, versions, kind_list, random.Random(seed))
    adv = advisory(PYPI, rec)
    for candidate in [probe, *versions]:
        assert is_affected(PYPI, candidate, adv) == _oracle(candidate, oracle, cmp), (candidate, rec)


@settings(max_examples=300, deadline=None)
@given(st.lists(semvers, min_size=1, max_size=12), kinds, semvers, st.integers(0, 1000))
def test_npm_range_matching_agrees_with_node_semver(
    pool: list[str], kind_list: list[str], probe: str, seed: int
) -> None:
    distinct: dict[object, str] = {}
    for v in pool:
        distinct.setdefault(semver_key(v), v.split("+")[0])
    versions = sorted(distinct.values(), key=cmp_to_key(_npm_cmp))
    rec, oracle = _intervals_record(NPM, versions, kind_list, random.Random(seed))
    adv = advisory(NPM, rec)
    for candidate in [probe, *versions]:
        assert is_affected(NPM, candidate, adv) == _oracle(candidate, oracle, _npm_cmp), (candidate, rec)


# --- OSV semantics ------------------------------------------------------------------------------


def test_introduced_fixed_last_affected_and_versions_list() -> None:
    adv = advisory(
        PYPI,
        record(
            PYPI,
            "PyYAML",
            [{"type": "ECOSYSTEM", "events": [{"introduced": "5.1b7"}, {"fixed": "5.3.1"}]}],
            versions=["4.2b1"],
        ),
    )
    assert is_affected(PYPI, "5.3", adv)
    assert is_affected(PYPI, "5.1b7", adv)
    assert not is_affected(PYPI, "5.3.1", adv)
    assert not is_affected(PYPI, "5.1b6", adv)
    assert is_affected(PYPI, "4.2b1", adv)  # listed explicitly
    assert fixed_after(PYPI, "5.3", adv) == "5.3.1"
    last = advisory(
        NPM,
        record(
            NPM,
            "node-serialize",
            [{"type": "SEMVER", "events": [{"introduced": "0"}, {"last_affected": "0.0.4"}]}],
        ),
    )
    assert is_affected(NPM, "0.0.4", last) and is_affected(NPM, "0.0.1", last)
    assert not is_affected(NPM, "0.0.5", last)
    assert fixed_after(NPM, "0.0.4", last) is None


def test_prereleases_sort_before_their_release() -> None:
    adv = advisory(
        NPM,
        record(
            NPM, "x", [{"type": "SEMVER", "events": [{"introduced": "2.0.0-beta.2"}, {"fixed": "2.0.0"}]}]
        ),
    )
    assert not is_affected(NPM, "2.0.0-beta.1", adv)
    assert is_affected(NPM, "2.0.0-beta.11", adv)  # numeric identifiers compare as numbers
    assert is_affected(NPM, "2.0.0-rc.1", adv)
    assert not is_affected(NPM, "2.0.0", adv)


def test_git_ranges_are_ignored_and_unorderable_ranges_skipped() -> None:
    rec = record(
        PYPI, "x", [{"type": "GIT", "repo": "https://github.com/a/x", "events": [{"introduced": "0"}]}]
    )
    assert parse_record(rec) is not None
    assert not is_affected(PYPI, "1.0", advisory(PYPI, rec))
    broken = record(
        PYPI, "x", [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "not a version"}]}]
    )
    assert not is_affected(PYPI, "1.0", advisory(PYPI, broken))  # never "everything is affected"


def test_withdrawn_and_other_ecosystems_are_not_kept() -> None:
    assert parse_record({**record(PYPI, "x", []), "withdrawn": "2024-02-01T00:00:00Z"}) is None
    assert parse_record(record("Go", "github.com/a/b", [])) is None
    assert parse_record({"no": "id"}) is None


def test_names_are_normalised_per_ecosystem() -> None:
    assert normalize(PYPI, "PyYAML") == normalize(PYPI, "pyyaml") == "pyyaml"
    assert normalize(PYPI, "python_jose.Extra") == "python-jose-extra"
    assert normalize(NPM, "JSONStream") == "JSONStream"  # npm names are case-sensitive
    parsed = parse_record(record(PYPI, "Python_Dateutil", []))
    assert parsed is not None and parsed[1][0].name == "python-dateutil"


def test_aliases_merge_into_one_group_and_mal_is_malicious() -> None:
    ghsa = advisory(PYPI, record(PYPI, "requests", [], id="GHSA-x84v-xcm2-53pg", aliases=["CVE-2018-18074"]))
    pysec = advisory(
        PYPI,
        record(PYPI, "requests", [], id="PYSEC-2018-28", aliases=["CVE-2018-18074", "GHSA-x84v-xcm2-53pg"]),
    )
    other = advisory(PYPI, record(PYPI, "requests", [], id="GHSA-j8r2-6x86-q33q", aliases=["CVE-2023-32681"]))
    groups = group_aliases([pysec, other, ghsa])
    assert [g.ids for g in groups] == [
        ["GHSA-j8r2-6x86-q33q", "CVE-2023-32681"],
        ["GHSA-x84v-xcm2-53pg", "CVE-2018-18074", "PYSEC-2018-28"],
    ]
    mal = advisory(NPM, record(NPM, "evil", [], id="MAL-2024-0001"))
    assert mal.malicious and group_aliases([mal])[0].malicious


def test_cvss_scores_and_severity_sources() -> None:
    assert cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N") == 7.5
    assert cvss3_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == 9.8
    assert cvss3_score("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N") == 6.1
    assert cvss3_score("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H") == 7.2
    assert cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N") == 0.0
    assert cvss3_score("garbage") is None
    assert cvss2_score("AV:N/AC:L/Au:N/C:P/I:P/A:P") == 7.5
    v3 = {"severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}]}
    assert record_severity(v3)[:2] == ("high", 7.5)
    db = {
        "severity": [
            {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}
        ],
        "database_specific": {"severity": "MODERATE"},
    }
    assert record_severity(db)[0] == "medium"
    assert record_severity({})[0] is None


def test_ranges_meet_advisories_through_listed_versions_and_lower_bounds() -> None:
    adv = advisory(
        NPM,
        record(NPM, "lodash", [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]),
    )
    for spec, hit in (
        ("^4.17.0", True),
        (">=4.17.21", False),
        ("~4.17.20", True),
        ("<4.0.0", True),
        (">4.17.20", False),
    ):
        candidates = set(lower_bounds(NPM, spec))
        assert any(satisfies(NPM, v, spec) and is_affected(NPM, v, adv) for v in candidates) is hit, spec
    py = advisory(
        PYPI,
        record(
            PYPI,
            "requests",
            [{"type": "ECOSYSTEM", "events": [{"introduced": "2.3.0"}, {"fixed": "2.31.0"}]}],
        ),
    )
    for spec, hit in (
        (">=2.19", True),
        (">=2.31", False),
        ("~=2.30.0", True),
        ("<2.3", False),
        (">2.30", True),
    ):
        candidates = set(lower_bounds(PYPI, spec)) | {"2.3.0"}
        assert any(satisfies(PYPI, v, spec) and is_affected(PYPI, v, py) for v in candidates) is hit, spec
