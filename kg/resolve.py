"""Mentions become entities with stable IRIs (pure).

* The same type and name is one entity, across articles and builds; its IRI
  is derived from the two, so every build gives it the same IRI.
* A place takes its full name from the gazetteer (大连 → 大连市; a one-character
  place is an abbreviation: 京 → 北京市, 美 of 中美 → 美国), choosing among
  places of the same name by the other places of its article; unknown places
  merge with and without their administrative suffix when both forms occur.
* An organization written with a bare level prefix (市总工会, 省委) takes the
  city or province its article names, when it names exactly one at that
  level (大连市 → 大连市总工会); otherwise it stays an entity of that article
  only, so two different 市总工会 are never merged.

>>> ms = [Mention(0, 2, "大连", "LOC", article_id="a"),
...       Mention(5, 8, "大连市", "LOC", article_id="a")]
>>> [(e.label, e.aliases) for e in resolve(ms)]
[('大连市', ('大连',))]
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from urllib.parse import quote

from kg.lexicon.files import tsv_rows, word_list
from kg.lexicon.gazetteer import Place, gazetteer
from kg.model import Entity, Event, Mention, Relation
from kg.registry.data import predicate, predicates
from kg.resolve_events import EventGroups
from kg.text.unicode import name_form
from kg.types import ENTITY_CODES, by_code

DEFAULT_BASE = "https://w3id.org/kg-cn/id/"
_LEVEL_PREFIX = re.compile(r"^(市|省|区|县|州)(?=\S{2,})")


def mention_key(m: Mention) -> tuple[str, int, int]:
    """The identity of a mention inside a build: its article and span."""
    return (m.article_id, m.start, m.end)


def entity_iri(key: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of an entity key: readable, percent-encoded, stable.

    >>> entity_iri("PER:习近平", "https://example.org/")
    'https://example.org/person/%E4%B9%A0%E8%BF%91%E5%B9%B3'
    """
    kind, _, name = key.partition(":")
    return f"{base}{by_code(kind).path}/{quote(name, safe='')}"


@lru_cache(maxsize=1)
def org_aliases() -> dict[str, str]:
    """Curated short names of organizations (全总 → 中华全国总工会).

    >>> org_aliases()["全总"]
    '中华全国总工会'
    """
    return {alias: full for alias, full in tsv_rows("org_aliases.tsv")}


def article_places(mentions: Iterable[Mention]) -> dict[str, list[Place]]:
    """The gazetteer places each article names unambiguously, most named first."""
    gz = gazetteer()
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    found: dict[str, Place] = {}
    for m in mentions:
        if m.type == "LOC":
            place = gz.lookup(name_form(m.text), abbreviation=m.subtype == "abbreviation")
            if place is not None:
                counts[m.article_id][place.name] += 1
                found[place.name] = place
    return {a: [found[n] for n, _ in c.most_common()] for a, c in counts.items()}


def _level_place(places: Sequence[Place], prefix: str) -> str | None:
    """The one place of the article at the level a bare prefix (市, 省…) names."""
    def fits(p: Place) -> bool:
        if prefix == "市":  # a city, or a municipality (北京市) that is a province
            return p.level == "city" or (p.level == "province" and p.name.endswith("市"))
        if prefix == "省":
            return p.level == "province" and p.name.endswith("省")
        return p.level == "county" and p.name.endswith(prefix)

    names = {p.name for p in places if fits(p)}
    return names.pop() if len(names) == 1 else None


def place_key(place: Place) -> str:
    """The entity key of a gazetteer place; homonyms are told apart by parent.

    >>> gz = gazetteer()
    >>> place_key(gz.lookup("大连")), place_key(gz.lookup("朝阳区", ["北京市"]))
    ('LOC:大连市', 'LOC:北京市/朝阳区')
    """
    if len(gazetteer().by_name.get(place.name, ())) > 1:
        return f"LOC:{place.parent}/{place.name}"
    return f"LOC:{place.name}"


def _place_of(entity: Entity) -> Place | None:
    """The gazetteer place an entity key stands for."""
    gz = gazetteer()
    name = entity.key.partition(":")[2]
    parent, _, short = name.rpartition("/")
    if parent:
        return next((p for p in gz.by_name.get(short, ()) if p.parent == parent), None)
    return gz.lookup(name)


def _canonical(m: Mention, places: dict[str, list[Place]],
               place_forms: set[str]) -> tuple[str, str]:
    """(key, label) for one mention."""
    name = name_form(m.text)
    if m.type == "LOC":
        context = [p.name for p in places.get(m.article_id, ())]
        # a one-character place is an abbreviation (中美 → 中国, 美国; 在京 → 北京市)
        place = gazetteer().lookup(name, context, abbreviation=m.subtype == "abbreviation"
                                   or len(name) == 1)
        if place is not None:
            return place_key(place), place.name
        for suffix in word_list("resolve.place_suffixes"):
            if name + suffix in place_forms:
                return f"LOC:{name + suffix}", name + suffix
    if m.type == "ORG" and (full := org_aliases().get(name)):
        return f"ORG:{full}", full
    if m.type == "ORG" and (prefix := _LEVEL_PREFIX.match(name)):
        place = _level_place(places.get(m.article_id, ()), prefix.group(1))
        if place:
            full = place + name[1:]
            return f"ORG:{full}", full
        return f"ORG:{name}@{m.article_id}", name
    return f"{m.type}:{name}", name


_TYPE_ORDER = {code: i for i, code in enumerate(ENTITY_CODES)}


class TypeVotes:
    """Which type each name's mentions vote for: the one corpus-wide step of resolution.

    Everything else in :func:`resolve` looks at one article at a time, so a
    big corpus is resolved in two passes: first every mention votes (the
    state is one counter per distinct name), then articles are resolved a
    chunk at a time with the winners (``resolve(chunk, votes=votes)``).

    >>> votes = TypeVotes()
    >>> votes.add([Mention(0, 2, "普京", "PER", score=0.9),
    ...            Mention(9, 11, "普京", "LOC", score=0.5)])
    >>> votes.winner()["普京"]
    'PER'
    """

    def __init__(self) -> None:
        self.votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self._winner: dict[str, str] | None = None
        self._places: set[str] | None = None
        self.events = EventGroups()  # the first report of every real event (kg.resolve_events)

    def add(self, mentions: Iterable[Mention]) -> None:
        for m in mentions:
            self.votes[name_form(m.text)][m.type] += m.score
        self._winner = self._places = None

    def winner(self) -> dict[str, str]:
        """Name → the type with the larger total score (ties: PER, then ORG, then LOC)."""
        if self._winner is None:
            order = _TYPE_ORDER
            self._winner = {name: min(c, key=lambda t: (-c[t], order.get(t, 9)))
                            for name, c in self.votes.items()}
        return self._winner

    def place_forms(self) -> set[str]:
        """The names that are places."""
        if self._places is None:
            self._places = {name for name, t in self.winner().items() if t == "LOC"}
        return self._places


def unify_types(mentions: Sequence[Mention], votes: TypeVotes | None = None) -> list[Mention]:
    """Give every mention of one name the type its mentions vote for.

    The recognizers may call 普京 a person after 总统 and a place elsewhere;
    the name is one thing, so the type with the larger total score wins
    (ties: PER, then ORG, then LOC). ``votes`` counts a whole corpus; by
    default the mentions given are the corpus.

    >>> ms = [Mention(0, 2, "普京", "PER", score=0.9), Mention(9, 11, "普京", "LOC", score=0.5)]
    >>> [m.type for m in unify_types(ms)]
    ['PER', 'PER']
    """
    if votes is None:
        votes = TypeVotes()
        votes.add(mentions)
    winner = votes.winner()
    return [m if m.type == winner[name_form(m.text)] else replace(m, type=winner[name_form(m.text)])
            for m in mentions]


def resolve(mentions: Iterable[Mention], base: str = DEFAULT_BASE,
            votes: TypeVotes | None = None) -> list[Entity]:
    """Group mentions into entities, sorted by key.

    With ``votes`` (of a corpus the mentions are part of, whole articles at
    a time), the entities are those of the whole corpus restricted to these
    mentions: same keys, labels and IRIs; aliases and mentions of these.
    """
    mentions = list(mentions)
    if votes is None:
        votes = TypeVotes()
        votes.add(mentions)
    mentions = unify_types(mentions, votes)
    place_forms = votes.place_forms()
    places = article_places(mentions)
    grouped: dict[str, list[Mention]] = collections.defaultdict(list)
    labels: dict[str, str] = {}
    for m in mentions:
        key, label = _canonical(m, places, place_forms)
        grouped[key].append(m)
        labels[key] = label
    entities = []
    for key in sorted(grouped):
        ms = sorted(grouped[key], key=lambda m: (m.article_id, m.start, m.end))
        label = labels[key]
        aliases = tuple(sorted({name_form(m.text) for m in ms} - {label}))
        subtype = next((m.subtype for m in ms if m.subtype), "")
        entities.append(Entity(key, label, ms[0].type, aliases, tuple(ms),
                               entity_iri(key, base), subtype))
    return entities


def entity_index(entities: Iterable[Entity]) -> dict[tuple[str, int, int], Entity]:
    """Mention identity → its entity."""
    return {mention_key(m): e for e in entities for m in e.mentions}


def link_relations(relations: Iterable[Relation],
                   index: dict[tuple[str, int, int], Entity]) -> list[Relation]:
    """Relations with their subject/object IRIs and labels filled in.

    Relations whose subject or object has no entity are dropped, and those
    whose entities resolved to types the predicate does not admit
    (:meth:`kg.schema.Predicate.admits`: a 任职 whose holder's name was voted
    a place across the corpus).
    """
    out = []
    schema = predicates()
    for r in relations:
        subj = index.get(mention_key(r.subject))
        obj = index.get(mention_key(r.object)) if r.object is not None else None
        if subj is None or (r.object is not None and obj is None):
            continue
        pred = schema.get(r.predicate) or predicate(r.predicate)  # an unknown one: its error
        if not pred.admits(subj.type, obj.type if obj else None):
            continue
        out.append(replace(r, subject_iri=subj.iri, subject_label=subj.label,
                           object_iri=obj.iri if obj else "",
                           object_label=obj.label if obj else ""))
    return out


def event_iri(event: Event, base: str = DEFAULT_BASE) -> str:
    """The stable IRI of an event: its article and trigger position.

    >>> e = Event("a1", 0, 5, "双方通电话", "通电话", 2, 5, "communication")
    >>> event_iri(e, "https://example.org/")
    'https://example.org/event/a1-2'
    """
    return f"{base}event/{quote(event.article_id, safe='')}-{event.trigger_start}"


def place_hierarchy(entities: Iterable[Entity], base: str = DEFAULT_BASE
                    ) -> tuple[list[Entity], list[tuple[str, str]]]:
    """Containment of the places in ``entities``, from the gazetteer.

    Returns the containing places not among ``entities`` (as entities
    without mentions) and (child IRI, parent IRI) pairs, innermost first.

    >>> e = resolve([Mention(0, 3, "宝坻区", "LOC", article_id="a")])
    >>> extra, pairs = place_hierarchy(e)
    >>> [x.label for x in extra], len(pairs)
    (['天津市', '中国'], 2)
    """
    gz = gazetteer()
    known = {e.iri for e in entities if e.type == "LOC"}
    extra: list[Entity] = []
    pairs: list[tuple[str, str]] = []
    for e in entities:
        if e.type != "LOC" or (place := _place_of(e)) is None:
            continue
        child = e.iri
        for parent in gz.ancestors(place):
            key = place_key(parent)
            iri = entity_iri(key, base)
            if (child, iri) in pairs:
                break
            pairs.append((child, iri))
            if iri not in known:
                known.add(iri)
                extra.append(Entity(key, parent.name, "LOC", iri=iri, subtype=parent.level))
            child = iri
    return extra, pairs

