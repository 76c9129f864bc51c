"""The registry's state: what is registered in this process, and how it is ordered.

:mod:`kg.registry` is the public face; this module holds the one table of
registrations, which :func:`state`/:func:`install` hand to worker processes
and :func:`scoped` saves and restores.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from kg.errors import UsageError
from kg.schema import EventClass, EventType, Predicate

__all__ = ["STEP_STAGES", "Registered", "current", "install", "scoped", "state"]

STEP_STAGES = ("refine", "propose", "filter")
"""When a recognizer step runs: on the base mentions (``refine``), beside them
(``propose``: rule mentions that win where they overlap), after the merge (``filter``)."""


@dataclass(frozen=True, slots=True)
class Registered:
    """A function registered under a name, with where it runs."""

    name: str
    fn: Callable[..., Any]
    stage: str = ""


class _Ordered:
    """Named entries in a declared order, whatever order they were registered in.

    An entry may ask to run right ``after`` or ``before`` another; the order is
    worked out when it is asked for, so modules may register in any order.
    Re-registering a name replaces the entry in its place (keeping its
    placement unless a new one is given).
    """

    def __init__(self) -> None:
        self.entries: list[tuple[Registered, str | None, str | None]] = []

    def add(self, entry: Registered, after: str | None, before: str | None) -> None:
        names = [e.name for e, _, _ in self.entries]
        if entry.name in names:
            i = names.index(entry.name)
            _, old_after, old_before = self.entries[i]
            if after is None and before is None:
                after, before = old_after, old_before
            self.entries[i] = (entry, after, before)
        else:
            self.entries.append((entry, after, before))

    def remove(self, name: str) -> None:
        """Remove ``name``; entries placed next to it take its own placement."""
        gone = next((x for x in self.entries if x[0].name == name), None)
        if gone is None:
            raise UsageError(f"nothing is registered as {name!r}")
        _, after, before = gone
        self.entries = [(e, after if a == name else a, before if b == name else b)
                        if name in (a, b) else (e, a, b)
                        for e, a, b in self.entries if e.name != name]

    def ordered(self) -> list[Registered]:
        """The entries, each placed as it asked, else in registration order."""
        out: list[Registered] = []
        waiting = list(self.entries)
        while waiting:
            left = []
            for entry, after, before in waiting:
                names = [e.name for e in out]
                if after is None and before is None:
                    out.append(entry)
                elif after in names:
                    out.insert(names.index(after) + 1, entry)
                elif before in names:
                    out.insert(names.index(before), entry)
                else:
                    left.append((entry, after, before))
            if len(left) == len(waiting):
                entry, after, before = left[0]
                known = ", ".join(e.name for e, _, _ in self.entries)
                raise UsageError(f"cannot place {entry.name!r} next to {after or before!r}: "
                                 f"no such entry (have {known})")
            waiting = left
        return out


class _Registry:
    def __init__(self) -> None:
        self.steps = {stage: _Ordered() for stage in STEP_STAGES}
        self.extractors = _Ordered()
        self.bases: dict[str, Callable[..., Any]] = {}
        self.extra_types: dict[str, EventType] = {}
        self.extra_classes: dict[str, EventClass] = {}
        self.extra_predicates: dict[str, Predicate] = {}

    def copy(self) -> _Registry:
        """A copy whose tables can change without touching this one (entries are frozen)."""
        out = _Registry()
        for stage, ordered in self.steps.items():
            out.steps[stage].entries = list(ordered.entries)
        out.extractors.entries = list(self.extractors.entries)
        out.bases = dict(self.bases)
        out.extra_types = dict(self.extra_types)
        out.extra_classes = dict(self.extra_classes)
        out.extra_predicates = dict(self.extra_predicates)
        return out


_REG = _Registry()


def current() -> _Registry:
    """The registrations of this process (replaced by :func:`install` and :func:`scoped`)."""
    return _REG


def state() -> object:
    """Everything registered in this process, to hand to a worker (see :func:`install`)."""
    return _REG


def install(saved: object) -> None:
    """Make a worker's registrations those of the main process (``state()`` there).

    Functions travel by reference (module and name), so a registered function
    must be defined at the top level of an importable module to run in
    worker processes or on Dask.
    """
    global _REG
    if not isinstance(saved, _Registry):
        raise UsageError("registry.install needs the value of registry.state()")
    _REG = saved


@contextlib.contextmanager
def scoped() -> Iterator[None]:
    """Undo every registration made inside the block (for tests and experiments).

    >>> from kg import registry
    >>> with scoped():
    ...     _ = registry.register_predicate(Predicate("supplies", "供应", "supplies", "kg:about"))
    ...     "supplies" in registry.predicates()
    True
    >>> "supplies" in registry.predicates()
    False
    """
    global _REG
    saved = _REG.copy()
    try:
        yield
    finally:
        _REG = saved
