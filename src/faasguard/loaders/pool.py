"""Loading many applications on several cores.

Loading (reading, parsing and evaluating each project's files) is a large part of a scan and
each candidate loads on its own, so a scan with many candidates can fork a few worker processes
and hand them the candidates in a few spans each, while this process runs the rules on the
applications already loaded. The first candidate of each kind loads here before the fork, so
whatever a loader sets up once is set up once. Results come back in candidate order, so the
report is the same as a serial scan's.

The library loads in its own process unless asked (`ScanOptions.workers`); the CLI asks for the
automatic choice, which forks only where it is safe and worth it: Linux (fork), no other thread
running in this process, at least `MIN_CANDIDATES` candidates, more than one usable core and a
load average below the number of cores (on a machine already busy, workers only compete with
the rest and add their own start-up). `FAASGUARD_WORKERS=N` sets the number of processes (`1`:
serial) wherever forking is safe. Workers inherit this process's state, audit hooks included.

Anything going wrong with the pool itself (no semaphores in a sandbox, a worker killed, a result
that cannot be sent back) falls back to loading the remaining candidates here, serially.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

from faasguard.findings import ScanError
from faasguard.model import Application

C = TypeVar("C")
Loaded = tuple[list[Application], list[ScanError]]

MIN_CANDIDATES = 24  # below this, forking costs more than it saves
MAX_WORKERS = 4  # the parent unpickles every result: more workers than this mostly wait on it


def workers_for(count: int, requested: int = 0) -> int:
    """How many processes should load `count` candidates (1: load them here). `requested` is the
    caller's choice (ScanOptions.workers): 1 never forks, N > 1 asks for N, 0 decides from the
    scan's size and the cores; FAASGUARD_WORKERS overrides it."""
    if count < 2 or not sys.platform.startswith("linux"):
        return 1
    if threading.active_count() > 1:  # forking with other threads running is not safe
        return 1
    given = os.environ.get("FAASGUARD_WORKERS", "").strip()
    if given:
        with contextlib.suppress(ValueError):
            requested = max(1, int(given))
    if requested > 0:
        return min(requested, 64)
    if count < MIN_CANDIDATES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    with contextlib.suppress(OSError):
        if os.getloadavg()[0] >= cores:  # every core already busy: workers would only compete
            return 1
    return max(1, min(cores, MAX_WORKERS))


# What a worker runs: set in the parent just before the pool forks, inherited by the workers.
_job: Callable[[int], bytes | None] | None = None
CHUNKS_PER_WORKER = 4  # few, large tasks: each hand-over waits for this process's busy GIL


def _run(span: list[int]) -> list[bytes | None]:
    assert _job is not None
    return [_job(i) for i in span]


def _mapping_proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _dumps(value: Loaded) -> bytes | None:
    """The result as bytes for the trip back; None when it cannot be pickled (then this process
    loads that candidate again itself)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    # Model objects may hold read-only mappings, which pickle cannot take as they are.
    pickler.dispatch_table = {MappingProxyType: lambda m: (_mapping_proxy, (dict(m),))}
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None
    return buffer.getvalue()


def load_all(
    candidates: Sequence[C],
    load_one: Callable[[C], Loaded],
    progress: Callable[[int, str], None] | None = None,
    name: Callable[[C], str] = str,
    requested: int = 0,
    kind: Callable[[C], str] | None = None,
) -> Iterator[Loaded]:
    """`load_one` of every candidate, in order: in worker processes when `workers_for` says so.
    With workers, the first candidate of each `kind` loads here first, so what a loader sets up
    once (lazy imports, data tables, a scan-wide survey) is set up once and inherited by all."""
    workers = workers_for(len(candidates), requested)
    done = 0
    primed: dict[int, Loaded] = {}
    if workers > 1:
        first: dict[str, int] = {}
        for i, cand in enumerate(candidates):
            first.setdefault(kind(cand) if kind is not None else "", i)
        for i in sorted(first.values()):
            primed[i] = load_one(candidates[i])
        rest = [i for i in range(len(candidates)) if i not in primed]
        try:
            blobs = _in_workers(candidates, rest, load_one, workers)
            while done < len(candidates):
                if progress is not None:
                    progress(done, name(candidates[done]))
                if done in primed:
                    loaded = primed.pop(done)
                else:
                    blob = next(blobs)
                    loaded = pickle.loads(blob) if blob is not None else load_one(candidates[done])
                done += 1
                yield loaded
        except Exception:  # the pool broke (or could not start): what is left loads here
            pass
    for i in range(done, len(candidates)):
        if progress is not None:
            progress(i, name(candidates[i]))
        yield primed.pop(i) if i in primed else load_one(candidates[i])


def _in_workers(
    candidates: Sequence[C], indices: list[int], load_one: Callable[[C], Loaded], workers: int
) -> Iterator[bytes | None]:
    """The pickled result (None: load it here) of each candidate in `indices`, in order.
    Candidates go out in contiguous spans, a few per worker: the pool's hand-overs run on a thread
    of this process, which waits for the GIL while this process runs rules, so many small tasks
    would starve the workers."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _job
    _job = lambda i: _dumps(load_one(candidates[i]))  # noqa: E731  (closed over, never pickled)
    size = max(1, -(-len(indices) // (workers * CHUNKS_PER_WORKER)))
    spans = [indices[start : start + size] for start in range(0, len(indices), size)]
    pool = None
    # Everything alive now moves out of the collector's reach until the pool is done, so neither
    # the workers' collections nor ours touch (and copy) the pages the workers share with us.
    # (A scan froze what existed before it: that stays frozen until the scan ends.)
    owned = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
        for blobs in pool.map(_run, spans):
            yield from blobs
    finally:
        if owned:
            gc.unfreeze()
        _job = None
        if pool is not None:  # on an early exit, candidates not started yet are dropped
            pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["MIN_CANDIDATES", "load_all", "workers_for"]
