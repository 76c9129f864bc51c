"""Mentions become entities with stable IRIs (pure).

* The same type and name is one entity, across articles and builds; its IRI
  is derived from the two, so every build gives it the same IRI.
* A place written with and without its administrative suffix (大连 / 大连市)
  is one place when both forms occur.
* An organization written with a bare level prefix (市总工会, 省委) takes the
  city or province its article is about, when the article names exactly one
  (大连市 → 大连市总工会); otherwise it stays an entity of that article only,
  so two different 市总工会 are never merged.

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
from urllib.parse import quote

from .model import Entity, Event, Mention, Relation

DEFAULT_BASE = "https://w3id.org/kg-cn/id/"
_TYPE_PATH = {"PER": "person", "ORG": "organization", "LOC": "place"}
_PLACE_SUFFIXES = ("市", "省", "县", "区", "自治区", "自治州", "州", "镇", "乡")
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
    return f"{base}{_TYPE_PATH.get(kind, kind.lower())}/{quote(name, safe='')}"


def _article_place(mentions: Sequence[Mention], level: str) -> str | None:
    """The one city/province (with its suffix) an article names, if exactly one."""
    names = collections.Counter()
    for m in mentions:
        if m.type == "LOC":
            name = m.text if m.text.endswith(level) else None
            if name and len(name) >= 2:
                names[name] += 1
    return next(iter(names)) if len(names) == 1 else None


def _canonical(m: Mention, by_article: dict[str, list[Mention]],
               place_forms: set[str]) -> tuple[str, str]:
    """(key, label) for one mention."""
    name = m.text.strip()
    if m.type == "LOC":
        for suffix in _PLACE_SUFFIXES:
            if name + suffix in place_forms:
                return f"LOC:{name + suffix}", name + suffix
    if m.type == "ORG" and (prefix := _LEVEL_PREFIX.match(name)):
        place = _article_place(by_article.get(m.article_id, ()), prefix.group(1))
        if place:
            full = place + name[1:]
            return f"ORG:{full}", full
        return f"ORG:{name}@{m.article_id}", name
    return f"{m.type}:{name}", name


def unify_types(mentions: Sequence[Mention]) -> list[Mention]:
    """Give every mention of one name the type its mentions vote for.

    The recognizers may call 普京 a person after 总统 and a place elsewhere;
    the name is one thing, so the type with the larger total score wins
    (ties: PER, then ORG, then LOC).

    >>> ms = [Mention(0, 2, "普京", "PER", score=0.9), Mention(9, 11, "普京", "LOC", score=0.5)]
    >>> [m.type for m in unify_types(ms)]
    ['PER', 'PER']
    """
    votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for m in mentions:
        votes[m.text.strip()][m.type] += m.score
    order = {"PER": 0, "ORG": 1, "LOC": 2}
    winner = {name: min(c, key=lambda t: (-c[t], order.get(t, 9))) for name, c in votes.items()}
    return [m if m.type == winner[m.text.strip()] else replace(m, type=winner[m.text.strip()])
            for m in mentions]


def resolve(mentions: Iterable[Mention], base: str = DEFAULT_BASE) -> list[Entity]:
    """Group mentions into entities, sorted by key."""
    mentions = list(mentions)
    by_article: dict[str, list[Mention]] = collections.defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append(m)
    mentions = unify_types(mentions)
    place_forms = {m.text.strip() for m in mentions if m.type == "LOC"}
    grouped: dict[str, list[Mention]] = collections.defaultdict(list)
    labels: dict[str, str] = {}
    for m in mentions:
        key, label = _canonical(m, by_article, place_forms)
        grouped[key].append(m)
        labels[key] = label
    entities = []
    for key in sorted(grouped):
        ms = sorted(grouped[key], key=lambda m: (m.article_id, m.start, m.end))
        label = labels[key]
        aliases = tuple(sorted({m.text.strip() for m in ms} - {label}))
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

    Relations whose subject or object has no entity are dropped.
    """
    out = []
    for r in relations:
        subj = index.get(mention_key(r.subject))
        obj = index.get(mention_key(r.object)) if r.object is not None else None
        if subj is None or (r.object is not None and obj is None):
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
