"""kg's extension points: event types, relation predicates, recognizer steps, extractors.

Everything a build runs or writes that someone may want to add to or replace
is registered here by name, and the stages run what is registered:

* **event types** and **relation predicates** are data, read from the schema
  files in ``kg/resources/schema/`` (:mod:`kg.schema`); a user adds their
  own with :func:`register_event_type` / :func:`load_event_schema` and
  :func:`register_predicate`;
* **base recognizers** (``model``, ``jieba``) propose mentions for a batch
  of texts; ``kg.recognize_many(texts, base="jieba")`` picks one;
* **recognizer steps** refine the base mentions, propose rule mentions (which
  win over the base ones they overlap) or filter the merged result, in the
  declared order: ``@recognizer_step("titles", stage="propose")``;
* **relation extractors** read one article and its mentions and return
  relations, events and derived mentions: ``@relation_extractor("positions")``.

Registering under a name that exists replaces that entry in its place, so a
learned component takes over from a rule by registering under the rule's
name. A type, role or predicate that is not registered is an error where it
is used, never a silent default.

>>> @recognizer_step("no-numbers", stage="filter")
... def no_numbers(text, mentions):
...     return [m for m in mentions if not m.text.isdigit()]
>>> "no-numbers" in [s.name for s in recognizer_steps("filter")]
True
>>> unregister("recognizer_step", "no-numbers")
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import UsageError
from kg.schema import (
    EventClass,
    EventType,
    Predicate,
    check_roles,
    parse_classes,
    parse_event_schema,
    parse_predicates,
)

__all__ = [
    "STEP_STAGES",
    "Registered",
    "base_recognizer",
    "base_recognizers",
    "event_classes",
    "event_type",
    "event_types",
    "install",
    "load_event_schema",
    "predicate",
    "predicates",
    "recognizer_step",
    "recognizer_steps",
    "register_event_type",
    "register_predicate",
    "relation_extractor",
    "relation_extractors",
    "scoped",
    "state",
    "unregister",
]

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
        if name not in [e.name for e, _, _ in self.entries]:
            raise UsageError(f"nothing is registered as {name!r}")
        self.entries = [x for x in self.entries if x[0].name != name]

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


# -------------------------------------------------------------- schema data

def _schema_files(suffix: str) -> list[tuple[str, str]]:
    folder = resources.files("kg").joinpath("resources", "schema")
    return [(f"kg/resources/schema/{p.name}", p.read_text("utf-8"))
            for p in sorted(folder.iterdir(), key=lambda p: p.name) if p.name.endswith(suffix)]


@lru_cache(maxsize=1)
def _shipped() -> tuple[dict[str, EventType], dict[str, EventClass], dict[str, Predicate]]:
    types: dict[str, EventType] = {}
    classes: dict[str, EventClass] = {}
    preds: dict[str, Predicate] = {}
    for source, text in _schema_files(".toml"):
        for tid, t in parse_event_schema(text, source).items():
            if tid in types:
                raise UsageError(f"{source}: event type {tid!r} is also in {types[tid].source}")
            types[tid] = t
        classes.update(parse_classes(text, source))
        preds.update(parse_predicates(text, source))
    return types, classes, preds


def event_types() -> Mapping[str, EventType]:
    """Every event type: the shipped schema's and the registered ones, by id.

    >>> event_types()["communication"].class_name
    'Communication'
    """
    shipped = _shipped()[0]
    types = {**shipped, **_REG.extra_types}
    check_roles(types.values())
    return types


def event_type(type_id: str) -> EventType:
    """The event type ``type_id``; a UsageError that names the schema if there is none."""
    types = event_types()
    if type_id not in types:
        raise UsageError(f"unknown event type {type_id!r}: add it to an event schema "
                         "(kg/resources/schema/*.toml) or kg.registry.register_event_type")
    return types[type_id]


def event_classes() -> Mapping[str, EventClass]:
    """The parent classes of event types (``kg:Event`` itself is not listed)."""
    return {**_shipped()[1], **_REG.extra_classes}


def register_event_type(event: EventType) -> EventType:
    """Add (or replace) an event type; returns it. See :func:`load_event_schema`."""
    _REG.extra_types[event.id] = event
    check_roles(event_types().values())
    return event


def load_event_schema(path: str | Path) -> list[EventType]:
    """Register every ``[[type]]`` and ``[[class]]`` of a schema file (TOML)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the event schema {p}: {exc}") from None
    _REG.extra_classes.update(parse_classes(text, str(p)))
    return [register_event_type(t) for t in parse_event_schema(text, str(p)).values()]


def predicates() -> Mapping[str, Predicate]:
    """Every relation predicate, by id (``holds_position``, ``located_in`` …)."""
    return {**_shipped()[2], **_REG.extra_predicates}


def predicate(pred_id: str) -> Predicate:
    """The predicate ``pred_id``; a UsageError if no schema or registration has it."""
    preds = predicates()
    if pred_id not in preds:
        raise UsageError(f"unknown relation predicate {pred_id!r}: add it to "
                         "kg/resources/schema/predicates.toml or kg.registry.register_predicate")
    return preds[pred_id]


def register_predicate(pred: Predicate) -> Predicate:
    """Add (or replace) a relation predicate; returns it."""
    _REG.extra_predicates[pred.id] = pred
    return pred


# -------------------------------------------------------------- functions

def recognizer_step(name: str, *, stage: str = "filter", after: str | None = None,
                    before: str | None = None) -> Callable[[Callable], Callable]:
    """Register ``fn(text, mentions) -> mentions`` as a recognizer step.

    ``refine`` and ``filter`` steps return the new mention list; ``propose``
    steps return rule mentions to merge over the (refined) base mentions.
    """
    if stage not in STEP_STAGES:
        raise UsageError(f"unknown recognizer stage {stage!r}; use one of {STEP_STAGES}")

    def register(fn: Callable) -> Callable:
        _REG.steps[stage].add(Registered(name, fn, stage), after, before)
        return fn
    return register


def recognizer_steps(stage: str) -> list[Registered]:
    """The steps of one stage, in the order they run."""
    return _REG.steps[stage].ordered()


def base_recognizer(name: str) -> Callable[[Callable], Callable]:
    """Register ``fn(texts) -> list[list[Mention]]`` as a base recognizer."""
    def register(fn: Callable) -> Callable:
        _REG.bases[name] = fn
        return fn
    return register


def base_recognizers() -> Mapping[str, Callable[..., Any]]:
    """The base recognizers by name."""
    return dict(_REG.bases)


def relation_extractor(name: str, *, after: str | None = None,
                       before: str | None = None) -> Callable[[Callable], Callable]:
    """Register ``fn(context) -> Found`` as a relation extractor (see :mod:`kg.extract`)."""
    def register(fn: Callable) -> Callable:
        _REG.extractors.add(Registered(name, fn), after, before)
        return fn
    return register


def relation_extractors() -> list[Registered]:
    """The relation extractors, in the order they run."""
    return _REG.extractors.ordered()


def unregister(kind: str, name: str) -> None:
    """Remove a ``recognizer_step``, ``relation_extractor``, ``event_type`` or ``predicate``."""
    if kind == "recognizer_step":
        stage = next((s for s in STEP_STAGES
                      if name in [e.name for e, _, _ in _REG.steps[s].entries]), None)
        if stage is None:
            raise UsageError(f"no recognizer step is registered as {name!r}")
        _REG.steps[stage].remove(name)
    elif kind == "relation_extractor":
        _REG.extractors.remove(name)
    elif kind == "event_type":
        if _REG.extra_types.pop(name, None) is None:
            raise UsageError(f"no registered event type {name!r} (shipped ones stay)")
    elif kind == "predicate":
        if _REG.extra_predicates.pop(name, None) is None:
            raise UsageError(f"no registered predicate {name!r} (shipped ones stay)")
    else:
        raise UsageError(f"unknown registry kind {kind!r}")


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

    >>> with scoped():
    ...     _ = register_predicate(Predicate("supplies", "供应", "supplies", "kg:about"))
    ...     "supplies" in predicates()
    True
    >>> "supplies" in predicates()
    False
    """
    global _REG
    saved = _REG.copy()
    try:
        yield
    finally:
        _REG = saved
