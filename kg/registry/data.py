"""Event types, parent classes and relation predicates: the shipped schema and registered ones.

>>> event_types()["communication"].class_name
'Communication'
>>> predicate("part_of").property
'org:subOrganizationOf'
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from kg.errors import UsageError
from kg.registry.core import current
from kg.schema import (
    EventClass,
    EventType,
    Predicate,
    check_roles,
    parse_classes,
    parse_event_schema,
    parse_predicates,
)

__all__ = ["event_classes", "event_type", "event_types", "load_event_schema", "predicate",
           "predicates", "register_event_type", "register_predicate"]


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
    check_roles(types.values())
    return types, classes, preds


def _merged(shipped: dict, extra: dict) -> Mapping:
    """The shipped table with the registered entries over it; no copy when nothing is registered.

    The graph and the extractors look a type or predicate up per record, so the
    common case (no registrations) must not copy the table each time.
    """
    return {**shipped, **extra} if extra else MappingProxyType(shipped)


def event_types() -> Mapping[str, EventType]:
    """Every event type: the shipped schema's and the registered ones, by id.

    >>> event_types()["communication"].class_name
    'Communication'
    """
    return _merged(_shipped()[0], current().extra_types)  # roles checked when loaded/registered


def event_type(type_id: str) -> EventType:
    """The event type ``type_id``; a UsageError that names the schema if there is none."""
    types = event_types()
    if type_id not in types:
        raise UsageError(f"unknown event type {type_id!r}: add it to an event schema "
                         "(kg/resources/schema/*.toml) or kg.registry.register_event_type")
    return types[type_id]


def event_classes() -> Mapping[str, EventClass]:
    """The parent classes of event types (``kg:Event`` itself is not listed)."""
    return _merged(_shipped()[1], current().extra_classes)


def register_event_type(event: EventType) -> EventType:
    """Add (or replace) an event type; returns it. See :func:`load_event_schema`."""
    current().extra_types[event.id] = event
    check_roles(event_types().values())
    return event


def load_event_schema(path: str | Path) -> list[EventType]:
    """Register every ``[[type]]`` and ``[[class]]`` of a schema file (TOML)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the event schema {p}: {exc}") from None
    current().extra_classes.update(parse_classes(text, str(p)))
    return [register_event_type(t) for t in parse_event_schema(text, str(p)).values()]


def predicates() -> Mapping[str, Predicate]:
    """Every relation predicate, by id (``holds_position``, ``located_in`` …)."""
    return _merged(_shipped()[2], current().extra_predicates)


def predicate(pred_id: str) -> Predicate:
    """The predicate ``pred_id``; a UsageError if no schema or registration has it."""
    preds = predicates()
    if pred_id not in preds:
        raise UsageError(f"unknown relation predicate {pred_id!r}: add it to "
                         "kg/resources/schema/predicates.toml or kg.registry.register_predicate")
    return preds[pred_id]


def register_predicate(pred: Predicate) -> Predicate:
    """Add (or replace) a relation predicate; returns it."""
    current().extra_predicates[pred.id] = pred
    return pred
