"""The rules that keep the hook's decisions out of reach of later code (see _hook's docstring),
checked on the code itself."""

from __future__ import annotations

import builtins as builtins_module
import dis
import types

import faasguard_shield
from faasguard_shield import _hook
from faasguard_shield._install import closed, seal

CLOSED = (_hook._entry, _hook._gai, _hook._ghbn)


def global_names(function: types.FunctionType) -> set[str]:
    names = set()
    codes = [function.__code__]
    while codes:
        code = codes.pop()
        for instruction in dis.get_instructions(code):
            if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME", "STORE_GLOBAL", "DELETE_GLOBAL"):
                names.add(str(instruction.argval).removeprefix("NULL + ").removesuffix(" + NULL"))
        codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return names


def test_closed_functions_load_no_global_or_builtin_name() -> None:
    for function in CLOSED:
        assert global_names(function) == set(), function.__name__
    assert {"_process", "_network", "BaseException"} <= global_names(_hook._judge)  # the check sees them


def test_no_closures_and_no_modules_in_the_hook_namespace() -> None:
    for name, value in vars(_hook).items():
        assert not isinstance(value, types.ModuleType), name
        if isinstance(value, types.FunctionType):
            assert value.__closure__ is None, name
            assert not value.__code__.co_freevars, name


def test_every_global_a_sealed_function_uses_is_bound_in_its_namespace() -> None:
    namespace = seal(_hook)
    builtins = namespace["__builtins__"]
    assert builtins is not vars(builtins_module) and builtins == vars(builtins_module)
    for name, value in namespace.items():
        if isinstance(value, types.FunctionType) and value.__module__ == _hook.__name__:
            assert value.__globals__ is namespace
            for used in global_names(value):
                assert used in namespace or used in builtins, f"{name} uses {used}"
                bound = namespace.get(used, builtins.get(used))
                assert not isinstance(bound, types.ModuleType), f"{name} uses module {used}"


def test_closed_copies_have_an_empty_namespace() -> None:
    copy = closed(_hook._entry, "faasguard_shield_audit_hook", None, None)
    assert copy.__globals__ == {"__builtins__": {}}
    assert copy.__code__.co_name == "faasguard_shield_audit_hook"


def test_every_audited_event_name_is_routed_to_a_known_family() -> None:
    for event, (family, op) in _hook.EVENTS.items():
        assert family in range(len(_hook.FAMILY_NAMES)), event
        if family == _hook.FILES:
            access, slots = op
            assert access in (_hook.READ, _hook.WRITE, _hook.OPEN_FLAGS, _hook.SYMLINK)
            assert all(isinstance(index, int) and isinstance(dirfd, int) for index, dirfd in slots)
    assert faasguard_shield.__version__


def test_the_shield_imports_no_third_party_module(run) -> None:
    source = """
    import sys
    before = set(sys.modules)
    import faasguard_shield
    faasguard_shield.install()
    added = sorted(set(sys.modules) - before)

    def handler(event, context):
        return [name for name in added if name.split(".")[0] not in sys.stdlib_module_names
                and not name.startswith("faasguard_shield")]
    """
    assert run(source).result["result"] == []
