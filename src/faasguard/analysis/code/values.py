"""Abstract values of the taint engine: atoms of possibly attacker-controlled data, plus type tags.

An `Atom` is one piece of data that may reach a sink: where it comes from (its root), the
access path taken from there, the sink families it has been sanitised for, and its shape:

- root ("p", i): the i-th parameter of the function being summarised (resolved at the call
  site, or against the trigger's event schema at the handler);
- root ("a", "http"): a framework's ambient request object (Flask's `request`, Chalice's
  `app.current_request`, Powertools' `app.current_event`), resolved at the entry point;
- root ("s", kind, label, path, line): a concrete source, e.g. kind "second-order" (an S3
  object, a DynamoDB item, a third-party HTTP response) or "exception" (exception text).

Steps are where the data went (file, line, note); they do not take part in equality, so a
value holds each (root, path, sanitisers, shape) once.
"""

from __future__ import annotations

from collections.abc import Iterable

Step = tuple[str, int, str]
Root = tuple[object, ...]

RAW = 0  # the value itself
CONTAINED = 1  # an element of a container the program built
EMBEDDED = 2  # part of a string the program built

MAX_PATH = 8
MAX_STEPS = 12
MAX_ATOMS = 24


class Atom:
    __slots__ = ("_hash", "clean", "path", "root", "shape", "steps")

    def __init__(
        self,
        root: Root,
        path: tuple[str, ...] = (),
        clean: frozenset[str] = frozenset(),
        shape: int = RAW,
        steps: tuple[Step, ...] = (),
    ) -> None:
        self.root = root
        self.path = path
        self.clean = clean
        self.shape = shape
        self.steps = steps
        self._hash = hash((root, path, clean, shape))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Atom)
            and self._hash == other._hash
            and self.root == other.root
            and self.path == other.path
            and self.clean == other.clean
            and self.shape == other.shape
        )

    def __repr__(self) -> str:
        return f"Atom({self.root}, {self.path}, clean={sorted(self.clean)}, shape={self.shape})"

    @property
    def kind(self) -> str:
        """ "param", "ambient", or the concrete source kind ("second-order", "exception")."""
        r = self.root[0]
        if r == "p":
            return "param"
        if r == "a":
            return "ambient"
        return str(self.root[1])

    def with_(
        self,
        path: tuple[str, ...] | None = None,
        clean: frozenset[str] | None = None,
        shape: int | None = None,
        step: Step | None = None,
    ) -> Atom:
        steps = self.steps
        if step is not None and (not steps or steps[-1][:2] != step[:2]):
            steps = (
                (*steps, step)
                if len(steps) < MAX_STEPS
                else (*steps[: MAX_STEPS // 2], *steps[-MAX_STEPS // 2 + 1 :], step)
            )
        p = self.path if path is None else path[:MAX_PATH]
        return Atom(
            self.root,
            p,
            self.clean if clean is None else clean,
            self.shape if shape is None else shape,
            steps,
        )

    def is_clean_for(self, family: str) -> bool:
        return "*" in self.clean or family in self.clean


class _NoConst:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NOCONST"


NOCONST: object = _NoConst()


class V:
    """An abstract value: atoms of data, type tags (what the object is), a known constant."""

    __slots__ = ("atoms", "const", "tags")

    def __init__(
        self,
        atoms: frozenset[Atom] = frozenset(),
        tags: frozenset[str] = frozenset(),
        const: object = NOCONST,
    ) -> None:
        self.atoms = atoms
        self.tags = tags
        self.const = const

    def __repr__(self) -> str:
        return f"V({set(self.atoms)}, {set(self.tags)}, {self.const!r})"

    @property
    def empty(self) -> bool:
        return not self.atoms and not self.tags

    def join(self, other: V) -> V:
        if other is self or (other.empty and other.const is NOCONST):
            return self if self.const is NOCONST or self.const == other.const else V(self.atoms, self.tags)
        if self.empty and self.const is NOCONST:
            return other if other.const is NOCONST else V(other.atoms, other.tags)
        const = self.const if self.const == other.const else NOCONST
        return V(cap(self.atoms | other.atoms), self.tags | other.tags, const)

    def str_const(self) -> str | None:
        return self.const if isinstance(self.const, str) else None


EMPTY = V()


def cap(atoms: frozenset[Atom]) -> frozenset[Atom]:
    if len(atoms) <= MAX_ATOMS:
        return atoms
    return frozenset(sorted(atoms, key=lambda a: (len(a.steps), repr(a.root), a.path))[:MAX_ATOMS])


def join_all(values: Iterable[V]) -> V:
    out = EMPTY
    for v in values:
        out = out.join(v)
    return out


def atoms_v(atoms: Iterable[Atom], tags: frozenset[str] = frozenset()) -> V:
    a = frozenset(atoms)
    if not a and not tags:
        return EMPTY
    return V(cap(a), tags)
