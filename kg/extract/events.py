"""Events of one sentence: a trigger word, who took part, where and when (pure).

Trigger words come from ``resources/schema/triggers.tsv``; the people and
organizations of the trigger's clause are its participants (or, for a type
whose ``clause_role`` is ``object`` — a founding, a publication — its
object), the place after 在 is where it happened, and the sentence's date,
normalised against the article's date, is when.

>>> from kg.model import Article
>>> text = "2月24日下午，国家主席习近平应约同俄罗斯总统普京通电话。"
>>> ms = [Mention(13, 16, "习近平", "PER"), Mention(22, 24, "普京", "PER")]
>>> [(e.trigger, e.date, [m.text for _, m in e.arguments])
...  for e in events(Article("a", text, date="2025-02-24"), (0, len(text)), ms)]
[('通电话', '2025-02-24', ['习近平', '普京'])]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kg.errors import UsageError
from kg.extract.context import ArticleContext, Extraction
from kg.extract.labels import clause_span, summary
from kg.extract.named_events import hold, named_events, told_organizers
from kg.lexicon.files import tsv_rows, word_list
from kg.lexicon.rules import title_regex
from kg.model import Article, Event, Mention
from kg.registry import event_type, relation_extractor
from kg.text.dates import find_dates

__all__ = ["Trigger", "dedupe_events", "events"]

_RULE_ROLES = ("participant", "place", "object")  # the roles this extractor gives


@dataclass(frozen=True, slots=True)
class Trigger:
    """A row of ``triggers.tsv``: a word, the event type it triggers, what must follow it."""

    word: str
    type: str
    after: re.Pattern[str] | None = None  # the text after the word, within its clause


@lru_cache(maxsize=1)
def _triggers() -> tuple[Trigger, ...]:
    """The trigger table, each type checked against the schema."""
    rows = []
    for word, kind, *pattern in tsv_rows("triggers.tsv", "schema"):
        roles = {r.id for r in event_type(kind).roles}  # an unknown type is an error
        if not set(_RULE_ROLES) <= roles:
            raise UsageError(f"kg/resources/schema/triggers.tsv: type {kind!r} of trigger "
                             f"{word!r} lacks the roles {', '.join(_RULE_ROLES)}")
        rows.append(Trigger(word, kind, re.compile(pattern[0]) if pattern else None))
    return tuple(rows)


def _after_role(kind: str) -> str:
    """The role of names after the trigger in its clause (成立了协会: the object)."""
    return (event_type(kind).clause_role if kind else "") or "participant"




def events(article: Article, sent: tuple[int, int], mentions: Sequence[Mention]) -> list[Event]:
    """Events triggered in one sentence, with participants, place and date."""
    text = article.text
    found: list[Event] = []
    taken: set[int] = set()
    segment = text[sent[0]:sent[1]]
    for trig in _triggers():
        word, kind, after_re = trig.word, trig.type, trig.after
        if word not in segment:  # most sentences hold none of the trigger words
            continue
        for match in re.finditer(re.escape(word), segment):
            t0 = sent[0] + match.start()
            t1 = t0 + len(word)
            if t0 in taken or any(m.start < t1 and t0 < m.end for m in mentions):
                continue
            c0, c1 = clause_span(text, sent, t0)
            if after_re is not None and not after_re.match(text, t1, c1):
                continue
            args = _arguments(text, (c0, c1), t0, t1, kind, mentions)
            args += _speaker(text, sent, (c0, t0), mentions, args)
            if not any(role == "participant" for role, _ in args) and c0 > sent[0]:
                # 中国同法国一道，会同…发起…: the actors are named a clause earlier
                args = _actors_before(text, (sent[0], c0), mentions) + args
            if not any(role in ("participant", "object") for role, _ in args):
                continue
            when = _date_near(article, sent, t0)
            taken.add(t0)
            found.append(Event(
                article.id, sent[0], sent[1], text[sent[0]:sent[1]], word, t0, t1, kind,
                date=when[1] if when else None, date_text=when[0] if when else "",
                arguments=tuple(args), rule=f"trigger:{word}", score=0.7,
                summary=summary(text, sent, t0, t1, [m for _, m in args]),
            ))
    return sorted(found, key=lambda e: e.trigger_start)


def _arguments(text: str, clause: tuple[int, int], t0: int, t1: int, kind: str,
               mentions: Sequence[Mention]) -> list[tuple[str, Mention]]:
    inside = [m for m in mentions if clause[0] <= m.start and m.end <= clause[1]]
    # an organization or country that only qualifies a title (国务院总理李强,
    # 德国总理默茨) describes a participant; it is not one itself
    title_re = title_regex()
    described = {m.end for m in inside if m.type in ("ORG", "LOC") and title_re.match(text, m.end)
                 and any(p.type == "PER" and p.start > m.end for p in inside)}
    places: set[int] = set()
    args: list[tuple[str, Mention]] = []
    for m in sorted(inside, key=lambda m: m.start):
        before = text[max(clause[0], m.start - 1):m.start]
        if m.type == "LOC" and text.startswith(word_list("events.holidays"), m.end):
            continue  # 中国国庆前夕: a time, not an actor
        if m.type == "LOC" and (before in ("在", "于", "赴") or m.start in places):
            places.add(m.end)  # 在肯尼亚内罗毕, 赴天津: where it happened
            args.append(("place", m))
        elif m.end in described:
            continue
        elif m.end <= t0:
            args.append(("participant", m))
        elif m.start >= t1:
            args.append((_after_role(kind), m))
    return args




@lru_cache(maxsize=1)
def _speech() -> re.Pattern[str]:
    verbs = "|".join(map(re.escape, word_list("events.speech_verbs")))
    return re.compile(f"[，,]?(?:{verbs})[：:，,]")


_FIRST_PERSON = re.compile(r"我(?![国省市区县党军校厂院们])")


def _speaker(text: str, sent: tuple[int, int], before: tuple[int, int],
             mentions: Sequence[Mention], args: list[tuple[str, Mention]],
             ) -> list[tuple[str, Mention]]:
    """The person who says 我 in ``before``: the one the sentence opens with.

    李强表示，…我同总理先生举行会谈: 我 is 李强, a participant.
    """
    if not _FIRST_PERSON.search(text, *before):
        return []
    first = min((m for m in mentions if m.start >= sent[0] and m.end <= before[0]),
                key=lambda m: m.start, default=None)
    if (first is None or first.type != "PER" or first.start != sent[0]
            or not _speech().match(text, first.end)
            or any(m is first for _, m in args)):
        return []
    return [("participant", first)]


def _actors_before(text: str, span: tuple[int, int],
                   mentions: Sequence[Mention]) -> list[tuple[str, Mention]]:
    """The actors of the nearest earlier clause of the sentence that names any."""
    end = span[1]
    while end > span[0]:
        c0, c1 = clause_span(text, span, end - 1)
        args = _arguments(text, (c0, c1), c1, c1, "", mentions)
        actors = [(role, m) for role, m in args if role == "participant"]
        if actors:
            return actors
        end = c0 - 1 if c0 > span[0] else span[0]
    return []


def _date_near(article: Article, sent: tuple[int, int], pos: int) -> tuple[str, str | None] | None:
    """The date expression closest before ``pos`` in the sentence (else after)."""
    base = article.date or article.published
    text = article.text[sent[0]:sent[1]]
    # a photo's date （2月20日摄） dates the photo, not the sentence's event
    dates = [d for d in find_dates(text, base) if not text.startswith("摄", d.end)]
    if not dates:
        return None
    before = [d for d in dates if sent[0] + d.end <= pos]
    chosen = before[-1] if before else dates[0]
    return chosen.text, chosen.value


def dedupe_events(found: Sequence[Event]) -> list[Event]:
    """One event per happening within an article.

    Two triggers of one type in one sentence (举行会谈) are one event; so are
    two mentions of one type whose casts overlap: a headline and the sentence
    that reports it (习近平同俄罗斯总统普京通电话 / 2月24日下午，…通电话), or
    协会组建 and 协会成立后; so are two mentions of one name. Two different
    names are two events. The named one wins, then the one with a date, then
    the one with more arguments, then the earlier.
    """
    def cast(ev: Event) -> set[str]:
        return {m.text for role, m in ev.arguments if role != "place"}

    def rank(ev: Event) -> tuple:  # 2024-03-26 is a better date than 2024
        return (not ev.name, -len(ev.date or ""), -len(ev.arguments), ev.trigger_start)

    def same(k: Event, ev: Event) -> bool:
        if k.name and ev.name:
            return k.name == ev.name
        return k.type == ev.type and (
            (k.start, k.end) == (ev.start, ev.end) or bool(cast(k) & cast(ev)))

    kept: list[Event] = []
    for ev in sorted(found, key=rank):
        if not any(same(k, ev) for k in kept):
            kept.append(ev)
    return sorted(kept, key=lambda e: e.trigger_start)


@relation_extractor("events")
def _events(ctx: ArticleContext) -> Extraction:
    found: list[Event] = []
    for sent in ctx.sentences:
        inside = ctx.inside(sent)
        named = named_events(ctx.article, sent, inside)
        found = told_organizers(found, ctx.text, sent, inside) if not named else found
        found += hold(events(ctx.article, sent, inside), named, ctx.text)
    return Extraction(events=tuple(dedupe_events(found)))
