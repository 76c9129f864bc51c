"""The event and relation schema as data: event types, their roles, relation predicates.

One TOML file per source in ``kg/resources/schema/`` (kg's own types in
``events.toml``, DuEE's in ``events-duee.toml``, the relation predicates in
``predicates.toml``) lists each event type with its ontology class, labels,
parent class and argument roles, and each relation predicate with its
ontology property. The ontology's event classes and role properties, the
SHACL shapes for roles, the graph's role → property map and the readback all
follow from these records (:mod:`kg.rdf.ontology`); nothing else lists them.

Properties and classes are written as CURIEs (``sem:hasActor``,
``schema:organizer``, ``kg:about``) or full IRIs, so a user's schema can use
its own vocabulary.

>>> types = parse_event_schema('''
... [[type]]
... id = "strike"
... zh = "罢工"
... en = "strike"
... [[type.role]]
... id = "striker"
... zh = "罢工者"
... en = "striker"
... entity = ["PER", "ORG"]
... super = "sem:hasActor"
... ''', "example.toml")
>>> t = types["strike"]
>>> t.class_name, t.parent, [(r.id, r.property, r.super) for r in t.roles]
('Strike', 'Event', [('striker', 'kg:striker', 'sem:hasActor')])
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.errors import UsageError

__all__ = ["ROLE_KINDS", "EventClass", "EventType", "Predicate", "Role", "parse_event_schema",
           "parse_predicates"]

ROLE_KINDS = ("PER", "ORG", "LOC", "TIME", "VALUE")
"""What a role's argument may be: an entity of a type, a time, or a literal value."""


@dataclass(frozen=True, slots=True)
class Role:
    """An argument role of an event type, and the property that states it.

    ``property`` is the predicate written in the graph; a role of kg's own
    namespace (``kg:arrestee``) is declared in the ontology as a
    sub-property of ``super`` (``sem:hasActor``), so "every actor of every
    event" finds it too. ``relation`` names the entity's part when the graph
    is read back (``participant_in``).
    """

    id: str
    zh: str
    en: str
    entity: tuple[str, ...]
    property: str
    super: str = ""
    relation: str = ""

    @property
    def links_entities(self) -> bool:
        """True when the argument may be a PER, ORG or LOC entity."""
        return any(kind in ("PER", "ORG", "LOC") for kind in self.entity)

    @property
    def takes_literals(self) -> bool:
        """True when the argument may be a literal (a TIME or a VALUE)."""
        return any(kind in ("TIME", "VALUE") for kind in self.entity)


@dataclass(frozen=True, slots=True)
class EventClass:
    """A parent class of event types (justice events, disasters …)."""

    id: str
    zh: str
    en: str
    parent: str = "Event"


@dataclass(frozen=True, slots=True)
class EventType:
    """One kind of event: its ontology class, labels, parent and roles.

    ``clause_role`` is the role the rule extractor gives the people and
    organizations written after the trigger in its clause (``object`` for a
    founding: 成立了协会; ``participant`` for a meeting). ``source`` is the
    schema file it came from.
    """

    id: str
    class_name: str
    zh: str
    en: str
    parent: str = "Event"
    roles: tuple[Role, ...] = ()
    clause_role: str = ""
    comment: str = ""
    duee: str = ""
    source: str = ""
    same_as: tuple[str, ...] = ()  # types of other schemas that name the same happening

    def role(self, role_id: str) -> Role:
        """The role named ``role_id``; a UsageError for a role the type lacks."""
        for r in self.roles:
            if r.id == role_id:
                return r
        raise UsageError(f"event type {self.id!r} has no role {role_id!r} "
                         f"(it has {', '.join(r.id for r in self.roles) or 'none'}); "
                         f"add it to the schema ({self.source or 'the registered type'})")


@dataclass(frozen=True, slots=True)
class Predicate:
    """A relation predicate: the property written for it and how it reads back.

    ``by_subject`` picks another property by the subject's type
    (``located_in`` of a place is ``schema:containedInPlace``, of an
    organization ``schema:location``); ``form`` is ``statement`` (a direct
    triple and a reified ``kg:Statement`` with the evidence) or
    ``membership`` (an ``org:Membership`` with the role; ``property`` is then
    used for a bare title).
    """

    id: str
    zh: str
    en: str
    property: str
    by_subject: Mapping[str, str] = field(default_factory=dict)
    form: str = "statement"
    shown: bool = True  # drawn as an edge in the HTML page and networkx
    subject_types: tuple[str, ...] = ()  # the resolved subject's type codes; () = any
    object_types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_subject", _FrozenDict(self.by_subject))
        object.__setattr__(self, "subject_types", tuple(self.subject_types))
        object.__setattr__(self, "object_types", tuple(self.object_types))
        if self.form not in ("statement", "membership"):
            raise UsageError(f"predicate {self.id!r}: form must be statement or membership")
        for code in (*self.subject_types, *self.object_types):
            if code not in ("PER", "ORG", "LOC"):
                raise UsageError(f"predicate {self.id!r}: subject/object types are PER, ORG "
                                 f"or LOC, not {code!r}")

    def admits(self, subject_type: str, object_type: str | None) -> bool:
        """Whether resolved entities of these types may be this fact's subject and object.

        >>> p = Predicate("holds_position", "任职", "holds position", "kg:holdsTitle",
        ...               subject_types=("PER",), object_types=("ORG", "LOC"))
        >>> p.admits("PER", "ORG"), p.admits("LOC", "ORG"), p.admits("PER", None)
        (True, False, True)
        """
        return ((not self.subject_types or subject_type in self.subject_types)
                and (object_type is None or not self.object_types
                     or object_type in self.object_types))

    def property_for(self, subject_type: str) -> str:
        """The property of a fact whose subject has type ``subject_type``."""
        return self.by_subject.get(subject_type, self.property)

    def properties(self) -> tuple[str, ...]:
        """Every property this predicate may be written as."""
        return tuple(dict.fromkeys((self.property, *self.by_subject.values())))


class _FrozenDict(dict):
    """A read-only dict that still pickles (a registry travels to worker processes)."""

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("a predicate's by_subject is read-only")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (_FrozenDict, (dict(self),))


def _camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in text.replace("-", "_").split("_"))


def _need(entry: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in entry:
        raise UsageError(f"{where}: missing {key!r}")
    return entry[key]


def _role(entry: Mapping[str, Any], where: str) -> Role:
    rid = _need(entry, "id", where)
    where = f"{where}, role {rid!r}"
    kinds = tuple(_need(entry, "entity", where))
    bad = [k for k in kinds if k not in ROLE_KINDS]
    if bad or not kinds:
        raise UsageError(f"{where}: entity kinds must be some of {', '.join(ROLE_KINDS)}")
    sup = entry.get("super", "")
    prop = entry.get("property") or (f"kg:{rid}" if sup else "")
    if not prop:
        raise UsageError(f"{where}: give 'super' (a standard property it refines) or 'property'")
    return Role(rid, _need(entry, "zh", where), _need(entry, "en", where), kinds, prop, sup,
                entry.get("relation", f"{rid}_of"))


def _event_type(entry: Mapping[str, Any], source: str) -> EventType:
    tid = _need(entry, "id", source)
    where = f"{source}, type {tid!r}"
    roles = tuple(_role(r, where) for r in entry.get("role", ()))
    if len({r.id for r in roles}) != len(roles):
        raise UsageError(f"{where}: a role id is given twice")
    clause_role = entry.get("clause_role", "")
    if clause_role and clause_role not in {r.id for r in roles}:
        raise UsageError(f"{where}: clause_role {clause_role!r} is not one of its roles")
    return EventType(tid, entry.get("class", _camel(tid)), _need(entry, "zh", where),
                     _need(entry, "en", where), entry.get("parent", "Event"), roles,
                     clause_role, entry.get("comment", ""), entry.get("duee", ""), source,
                     tuple(entry.get("same_as", ())))


def _load(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{source}: not valid TOML ({exc})") from None


def parse_event_schema(text: str, source: str = "<schema>") -> dict[str, EventType]:
    """The event types of one schema file, by id (see the module example)."""
    data = _load(text, source)
    out: dict[str, EventType] = {}
    for entry in data.get("type", ()):
        t = _event_type(entry, source)
        if t.id in out:
            raise UsageError(f"{source}: event type {t.id!r} is given twice")
        out[t.id] = t
    return out


def parse_classes(text: str, source: str = "<schema>") -> dict[str, EventClass]:
    """The parent classes (``[[class]]``) of one schema file, by id.

    >>> toml = '[[class]]\\nid = "Disaster"\\nzh = "灾害"\\nen = "disaster"'
    >>> parse_classes(toml)["Disaster"].parent
    'Event'
    """
    data = _load(text, source)
    return {c["id"]: EventClass(c["id"], _need(c, "zh", source), _need(c, "en", source),
                                c.get("parent", "Event")) for c in data.get("class", ())}


def parse_predicates(text: str, source: str = "<schema>") -> dict[str, Predicate]:
    """The relation predicates (``[[predicate]]``) of one schema file, by id.

    >>> p = parse_predicates('''
    ... [[predicate]]
    ... id = "located_in"
    ... zh = "位于"
    ... en = "located in"
    ... property = "schema:location"
    ... by_subject = { LOC = "schema:containedInPlace" }
    ... ''')["located_in"]
    >>> p.property_for("LOC"), p.property_for("ORG")
    ('schema:containedInPlace', 'schema:location')
    """
    data = _load(text, source)
    out: dict[str, Predicate] = {}
    for entry in data.get("predicate", ()):
        where = f"{source}, predicate {entry.get('id')!r}"
        out[entry["id"]] = Predicate(
            _need(entry, "id", where), _need(entry, "zh", where), _need(entry, "en", where),
            _need(entry, "property", where), entry.get("by_subject", {}),
            entry.get("form", "statement"), entry.get("shown", True),
            tuple(entry.get("subject_types", ())), tuple(entry.get("object_types", ())))
    return out


def check_roles(types: Iterable[EventType]) -> None:
    """A role id used by several types must mean the same property everywhere.

    >>> x = Role("x", "x", "x", ("PER",), "kg:x", "sem:hasActor")
    >>> y = Role("x", "x", "x", ("LOC",), "kg:x", "sem:hasPlace")
    >>> a = EventType("a", "A", "甲", "a", roles=(x,))
    >>> b = EventType("b", "B", "乙", "b", roles=(y,))
    >>> check_roles([a, b])
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: role 'x' of type 'b' differs from the same role of type 'a' (kg:x)
    """
    seen: dict[str, tuple[str, Role]] = {}
    for t in types:
        for r in t.roles:
            if r.property.startswith("kg:") and r.property in seen:
                first_type, first = seen[r.property]
                if (first.super, first.entity) != (r.super, r.entity):
                    raise UsageError(f"role {r.id!r} of type {t.id!r} differs from the same role "
                                     f"of type {first_type!r} ({r.property})")
            seen.setdefault(r.property, (t.id, r))
