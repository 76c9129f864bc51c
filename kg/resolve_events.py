"""Event reports become events with stable IRIs (pure): one node per real event.

One happening is often reported more than once: a headline and its lead, two
sentences of one article (:mod:`kg.extract.episodes` marks them
``Event.repeats``), two articles of a corpus. Reports that
:func:`event_key` finds to be one event (the same name; else the same type,
day and named arguments) share one node, whose IRI is that of the first
report (:func:`kg.resolve.event_iri`); that report gives the node its label,
date and trigger, and every report adds its evidence. The first reports are
counted corpus-wide in one pass (:class:`EventGroups`), like the type votes
of :class:`kg.resolve.TypeVotes`, so resolving a chunk at a time agrees with
resolving everything at once.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from kg.model import Event
from kg.text.unicode import name_form
from kg.types import ENTITY_CODES

__all__ = ["EventGroups", "event_key", "event_nodes"]
_YEAR_WORD = re.compile(r"((?:19|20)[0-9]{2})年")


def event_key(ev: Event) -> str | None:
    """What makes two reports one real event, or ``None`` when nothing does.

    A named event is its name (2024年中关村论坛 and 2024中关村论坛 are one); any
    other event is its type, its day and the names of its PER/ORG/LOC
    arguments — two reports of one day's phone call between the same two
    leaders are one call. An event without a day or without such arguments
    is only itself.

    >>> from kg.model import Mention
    >>> xi, putin = Mention(0, 3, "习近平", "PER"), Mention(4, 6, "普京", "PER")
    >>> call = Event("a", 0, 9, "…", "通电话", 6, 9, "communication", date="2025-02-24",
    ...              arguments=(("participant", xi), ("participant", putin)))
    >>> event_key(call)
    'communication|2025-02-24|习近平、普京'
    >>> event_key(Event("b", 0, 9, "…", "召开", 0, 2, "meeting", name="2024年中关村论坛"))
    'name:2024中关村论坛'
    """
    if ev.name:
        return "name:" + _YEAR_WORD.sub(r"\1", name_form(ev.name))
    if not ev.date or len(ev.date) != 10:
        return None
    names = sorted({name_form(m.text) for _, m in ev.arguments if m.type in ENTITY_CODES})
    return f"{ev.type}|{ev.date}|{'、'.join(names)}" if names else None


def _report_rank(ev: Event) -> tuple:
    """The report that speaks for its event: a dated one, then the first by article."""
    return (ev.date is None, ev.article_id, ev.trigger_start)


def _roots(events: Iterable[Event]) -> dict[tuple[str, int], Event]:
    """(article id, trigger start) → the report a report tells again (itself if none)."""
    by_pos = {(ev.article_id, ev.trigger_start): ev for ev in events}
    out = {}
    for pos, ev in by_pos.items():
        root = ev
        for _ in range(len(by_pos)):  # a chain, never a loop
            up = by_pos.get((root.article_id, root.repeats))
            if root.repeats < 0 or up is None or up is root:
                break
            root = up
        out[pos] = root
    return out


class EventGroups:
    """The first report of every real event: the other corpus-wide step of resolution.

    Like :class:`TypeVotes` it is filled in a first pass over a corpus (one
    entry per real event; one call per article, whose events may tell one
    another again) so that articles resolved a chunk at a time agree on
    which report gives an event its IRI, label, date and trigger.

    >>> from dataclasses import replace
    >>> from kg.model import Mention
    >>> xi = Mention(0, 3, "习近平", "PER")
    >>> a = Event("b", 0, 9, "…", "会见", 3, 5, "meeting", date="2025-02-24",
    ...           arguments=(("participant", xi),))
    >>> groups = EventGroups()
    >>> groups.add([a])
    >>> groups.add([replace(a, article_id="a")])
    >>> groups.lead(a)
    ('a', 3)
    """

    def __init__(self) -> None:
        self.leads: dict[str, tuple] = {}

    def add(self, events: Iterable[Event]) -> None:
        for ev in {id(r): r for r in _roots(events).values()}.values():
            key = event_key(ev)
            if key is not None:
                rank = _report_rank(ev)
                if key not in self.leads or rank < self.leads[key]:
                    self.leads[key] = rank

    def lead(self, ev: Event) -> tuple[str, int]:
        """The (article id, trigger start) of the report that speaks for ``ev``'s event."""
        key = event_key(ev)
        rank = self.leads.get(key) if key is not None else None
        return (ev.article_id, ev.trigger_start) if rank is None else (rank[1], rank[2])


def event_nodes(events: Sequence[Event], base: str,
                groups: EventGroups | None = None) -> dict[tuple[str, int], str]:
    """(article id, trigger start) of every report → the IRI of its real event.

    A report that tells an event of its article again (``Event.repeats``)
    is of that event; the IRI is the one of the event's first report
    (:func:`event_iri`), so an event only one sentence reports keeps its
    own. ``groups`` counts a whole corpus; by default ``events`` are it.

    >>> from kg.model import Mention
    >>> xi = Mention(0, 3, "习近平", "PER")
    >>> a = Event("a", 0, 9, "…", "会见", 3, 5, "meeting", date="2025-02-24",
    ...           arguments=(("participant", xi),))
    >>> b = Event("b", 0, 9, "…", "会见", 6, 8, "meeting", date="2025-02-24",
    ...           arguments=(("participant", xi),))
    >>> sorted(set(event_nodes([a, b], "https://example.org/").values()))
    ['https://example.org/event/a-3']
    """
    if groups is None:
        groups = EventGroups()
        for _, same_article in itertools.groupby(events, key=lambda e: e.article_id):
            groups.add(list(same_article))
    out = {}
    for pos, root in _roots(events).items():
        aid, start = groups.lead(root)
        out[pos] = f"{base}event/{quote(aid, safe='')}-{start}"
    return out
