"""Entry points: where the platform hands attacker data to a function's code (language-neutral).

An `Entry` is a function of the code the platform or an in-code router calls, with a `Binding`
per parameter saying what arrives there:

- "event": the trigger's event (resolved against the triggers' schemas);
- "field": one field of the request, e.g. a path parameter a router passes by name;
- "ambient": a framework request object (resolved like the HTTP event);
- "clean": nothing the caller controls (the Lambda context, a validated model, a number).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from faasguard.model import TriggerKind


@dataclass(frozen=True, slots=True)
class Binding:
    kind: str  # "event" | "field" | "ambient" | "clean"
    prefix: tuple[str, ...] = ()  # raw event path of a "field" binding, or a view's prefix
    view: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # accessor -> raw path
    implied: tuple[TriggerKind, ...] = ()  # triggers the code itself declares (Chalice events)


EVENT = Binding("event")
CLEAN = Binding("clean")
AMBIENT = Binding("ambient")


@dataclass(frozen=True, slots=True)
class Entry:
    file: str
    qual: str
    bindings: Mapping[int, Binding]
    kind: str = "handler"  # "handler" | "route" | "event"
    framework: str | None = None  # "powertools" | "chalice" | "flask" | "fastapi"
    route: str | None = None  # "GET /items/{id}" for a router's route
    line: int = 0
    http: bool = False  # its return value is an HTTP response
    html_returns: bool = False  # a returned string is served as text/html (Flask)
