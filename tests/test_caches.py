"""FAASGUARD_NO_CACHE: every cache off, or only the ones it names."""

from __future__ import annotations

import pytest

from faasguard.caches import cache_off


@pytest.mark.parametrize(
    ("value", "terraform", "sdk_models"),
    [
        ("", False, False),
        ("1", True, True),
        ("yes", True, True),
        ("terraform", True, False),
        ("sdk-models", False, True),
        ("terraform, sdk-models", True, True),
        ("terraform,unknown", True, True),  # not a list of cache names: everything off
    ],
)
def test_no_cache_values(
    monkeypatch: pytest.MonkeyPatch, value: str, terraform: bool, sdk_models: bool
) -> None:
    monkeypatch.setenv("FAASGUARD_NO_CACHE", value)
    assert (cache_off("terraform"), cache_off("sdk-models")) == (terraform, sdk_models)


def test_unset_means_caches_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAASGUARD_NO_CACHE", raising=False)
    assert not cache_off("terraform") and not cache_off("sdk-models")
