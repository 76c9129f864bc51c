"""One happening across the sentences of an article: sub-events and what they inherit (pure).

A report opens with the event (the earthquake: when, where) and its later
sentences tell what followed (deaths, the missing) without saying when or
where again. ``resources/schema/sub_events.tsv`` says which types are part
of which (Death of Earthquake, a match result of a named competition); each
such event is linked to its parent — the parent event in its own sentence,
else the nearest one before it — by ``Event.part_of``, and takes the
parent's date and place when its own sentence gives none. An event told
again — in the headline, by a second trigger of its sentence, or later with
no date and place of its own (地震发生后) — is marked ``Event.repeats``: one
happening, one node, the evidence of every sentence.

>>> from kg.model import Mention
>>> quake = Event("a", 0, 20, "…", "地震", 10, 12, "Earthquake", date="2025-01-07",
...               arguments=(("epicenter", Mention(3, 6, "定日县", "LOC")),))
>>> dead = Event("a", 20, 30, "…", "遇难", 24, 26, "Death")
>>> linked = episodes([quake, dead])[1]
>>> linked.part_of, linked.date, [(r, m.text) for r, m in linked.arguments]
(10, '2025-01-07', [('place', '定日县')])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.lexicon.files import tsv_rows, word_list
from kg.model import Event, Mention
from kg.registry import event_type

__all__ = ["SubEvent", "episodes", "same_kind", "sub_events"]


@dataclass(frozen=True, slots=True)
class SubEvent:
    """A row of ``sub_events.tsv``: a child type, its parent types, whether the parent is named."""

    child: str
    parents: frozenset[str]
    named: bool = False


@lru_cache(maxsize=1)
def sub_events() -> dict[str, SubEvent]:
    """The sub-event table by child type, each type checked against the schema."""
    out = {}
    for child, parents, *flags in tsv_rows("sub_events.tsv", "schema"):
        kinds = frozenset(p.strip() for p in parents.split(","))
        for kind in (child, *kinds):
            event_type(kind)  # an unknown type is an error
        out[child] = SubEvent(child, kinds, bool(flags) and flags[0] == "named")
    return out


def _place_role(kind: str) -> str | None:
    """The role of a type whose values are places only (place, epicenter)."""
    return next((r.id for r in event_type(kind).roles if tuple(r.entity) == ("LOC",)), None)


def _places(ev: Event) -> list[Mention]:
    role = _place_role(ev.type)
    return [m for r, m in ev.arguments if r == role]


def same_kind(a: str, b: str) -> bool:
    """True when two event types name one kind of happening (the schema's ``same_as``).

    >>> same_kind("meeting", "MeetWith"), same_kind("meeting", "Death")
    (True, False)
    """
    ta, tb = event_type(a), event_type(b)
    return a == b or b in ta.same_as or a in tb.same_as


def _parent(ev: Event, found: Sequence[Event], rule: SubEvent) -> Event | None:
    fits = [p for p in found if p.type in rule.parents and (p.name or not rule.named)
            and p is not ev]
    same = [p for p in fits if (p.start, p.end) == (ev.start, ev.end)]
    earlier = [p for p in fits if p.trigger_start < ev.trigger_start]
    if same:
        return min(same, key=lambda p: abs(p.trigger_start - ev.trigger_start))
    return max(earlier, key=lambda p: p.trigger_start) if earlier else None


def _inherit(ev: Event, parent: Event) -> Event:
    """``ev`` with the parent's date and place where its own sentence gives none
    (or only a day it cannot place: 当晚, 近日)."""
    if ev.date is None and parent.date:
        ev = replace(ev, date=parent.date, date_text=ev.date_text or parent.date_text)
    role = _place_role(ev.type)
    if role is not None and not _places(ev):
        ev = replace(ev, arguments=ev.arguments + tuple((role, m) for m in _places(parent)))
    return ev


def _told_before(ev: Event, body: Sequence[Event], in_title: bool,
                 parents: frozenset[str]) -> Event | None:
    """The event of the article ``ev`` tells again, if any.

    A headline's event is the body's first of its kind (its date agreeing); a
    second trigger of one type in a sentence (相撞, 交通事故) is the first; a
    later disaster or named-event type with no date and place of its own
    (地震发生后) is the article's first dated one of its type.
    """
    def agrees(k: Event) -> bool:
        return (k is not ev and (not ev.date or not k.date or ev.date == k.date)
                and (not (ev.name and k.name) or ev.name == k.name))

    if in_title:
        return next((k for k in body if same_kind(k.type, ev.type) and agrees(k)
                     and k.repeats < 0), None)
    earlier = [k for k in body if k.trigger_start < ev.trigger_start and k.type == ev.type
               and agrees(k) and k.repeats < 0]
    same = next((k for k in earlier if (k.start, k.end) == (ev.start, ev.end)), None)
    if same is not None or ev.name:
        return same
    if ev.type in parents and not ev.date_text and not _places(ev):
        return next((k for k in earlier if k.date), None)
    return None


def _same_days(ordered: Sequence[Event], titles: Sequence[tuple[int, int]]) -> list[Event]:
    """Events dated 同日, 当天 … with the date of the body's nearest dated event before them."""
    words = word_list("events.same_day")
    out: list[Event] = []
    for ev in ordered:
        if ev.date is None and ev.date_text in words:
            before = [k for k in out if k.date and k.end <= ev.start
                      and not any(s <= k.trigger_start < e for s, e in titles)]
            if before:
                ev = replace(ev, date=before[-1].date)
        out.append(ev)
    return out


def episodes(found: Sequence[Event], titles: Sequence[tuple[int, int]] = ()) -> list[Event]:
    """The events of one article, each linked to what it tells again or is part of.

    ``titles`` are the spans of the article's headline and subtitles.
    """
    table = sub_events()
    parents = frozenset(p for rule in table.values() for p in rule.parents)

    def titled(ev: Event) -> bool:
        return any(s <= ev.trigger_start < e for s, e in titles)

    ordered = sorted(found, key=lambda e: e.trigger_start)
    body: list[Event] = []
    for ev in (e for e in ordered if not titled(e)):
        told = _told_before(ev, body, False, parents)
        body.append(ev if told is None else
                    replace(_inherit(ev, told), repeats=told.trigger_start))
    heads = []
    for ev in (e for e in ordered if titled(e)):
        told = _told_before(ev, body, True, parents)
        heads.append(ev if told is None else
                     replace(_inherit(ev, told), repeats=told.trigger_start))
    out: list[Event] = []
    everything = _same_days(sorted(heads + body, key=lambda e: e.trigger_start), titles)
    for ev in everything:
        rule = table.get(ev.type)
        if rule is not None and ev.repeats < 0 and (
                parent := _parent(ev, everything, rule)) is not None:
            root = parent.repeats if parent.repeats >= 0 else parent.trigger_start
            ev = replace(_inherit(ev, parent), part_of=root)
        out.append(ev)
    return out
