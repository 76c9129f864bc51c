"""Relations and events from the mentions of one article (pure).

Rules, each small and each tested with real sentences:

* **positions** — titles between an organization (or country) and a person
  name make a membership with that role: ``重庆市总工会党组书记、副主席余季平``
  gives 余季平 党组书记 and 副主席 at 重庆市总工会. Titles with no organization
  before them (国家主席习近平) give a bare title.
* **part of** — an organization name that continues past a complete
  organization name is a unit of it (国网大连供电公司二次检修工区 ⊂
  国网大连供电公司); the inner organization becomes a mention of its own.
* **located in** — two adjacent places, the first an administrative unit
  (吉林省长春市), and ``位于X的Y`` / ``Y位于X``.
* **events** — trigger words from ``resources/lexicon/events.tsv`` with the
  people and organizations of their clause, the place after 在, and the
  date the sentence gives, normalised against the article's date.

>>> from kg.model import Article
>>> text = "中车大连机车车辆有限公司工会主席张健介绍经验。"
>>> art = Article("a", text, parts=(), date="2025-02-25")
>>> ms = [Mention(0, 12, "中车大连机车车辆有限公司", "ORG"), Mention(16, 18, "张健", "PER")]
>>> [(r.subject.text, r.role, r.object.text) for r in extract(art, ms).relations]
[('张健', '工会主席', '中车大连机车车辆有限公司')]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from .dates import find_dates
from .gazetteer import gazetteer
from .lexicons import org_suffix_regex, self_titles, title_regex
from .model import Article, Event, Mention, Relation

_SENTENCE_END = "。！？!?；;\n"
_CLAUSE_END = _SENTENCE_END + "，,：:"
_CLOSERS = "”’」』）)》"
# words after a place in a name that make the place a topic, not a location
_TOPICS = ("危机", "问题", "冲突", "战争", "事件", "事务", "研究", "友好", "之友")
# a parent organization ends in one of these; a unit is never just one
_COMPANY_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "公司", "集团")
_STRONG = ("大学", "总工会", "联合会", "银行", "医院", "协会", "研究院", "委员会")
_ADMIN_END = ("省", "市", "自治区", "特别行政区", "县", "州", "盟", "国")
# Parts whose text is prose the rules may read; bylines and credits are
# handled from ``Article.credits``.
PROSE_PARTS = ("title", "subtitle", "subhead", "body", "caption")


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one article yields besides the recognizer's mentions."""

    mentions: tuple[Mention, ...]  # derived mentions (inner organizations)
    relations: tuple[Relation, ...]
    events: tuple[Event, ...]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans; closing quotes stay with their sentence.

    >>> t = "他说：“好。”双方同意。"
    >>> [t[s:e] for s, e in sentences(t)]
    ['他说：“好。”', '双方同意。']
    """
    spans = []
    start = 0
    i = 0
    while i < len(text):
        if text[i] in _SENTENCE_END:
            end = i + 1
            while end < len(text) and text[end] in _CLOSERS:
                end += 1
            if text[start:end].strip():
                spans.append((start, end))
            start = i = end
            continue
        i += 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _relation(text: str, sent: tuple[int, int], subj: Mention, pred: str,
              obj: Mention | None, article_id: str, **kw: object) -> Relation:
    s, e = sent
    return Relation(subj, pred, obj, article_id, s, e, text[s:e], **kw)  # type: ignore[arg-type]


def positions(text: str, sent: tuple[int, int], mentions: Sequence[Mention],
              article_id: str = "") -> list[Relation]:
    """Memberships and titles stated by titles written before a name.

    >>> t = "重庆市总工会党组书记、副主席余季平表示"
    >>> ms = [Mention(0, 6, "重庆市总工会", "ORG"), Mention(14, 17, "余季平", "PER")]
    >>> [(r.role, r.object.text) for r in positions(t, (0, len(t)), ms)]
    [('党组书记', '重庆市总工会'), ('副主席', '重庆市总工会')]
    """
    title_re = title_regex()
    seq = _title_list_regex()
    ends = {m.end: m for m in mentions if m.type in ("ORG", "LOC")}
    found = []
    for person in mentions:
        if person.type != "PER" or not sent[0] <= person.start < sent[1]:
            continue
        starts = [k for k in range(max(sent[0], person.start - 24), person.start)
                  if seq.fullmatch(text, k, person.start)]
        if not starts:
            continue
        # the gap that begins where an organization ends, else the longest
        gap_start = next((k for k in starts if k in ends), starts[0])
        roles = title_re.findall(text, gap_start, person.start)
        org = _employer(text, ends, gap_start)
        for i, role in enumerate(dict.fromkeys(roles)):
            # a later title that names its own body (外交部长) is not held in the
            # organization of the first (中共中央政治局委员、外交部长王毅)
            holder = None if i > 0 and role in self_titles() else org
            found.append(_relation(text, sent, person, "holds_position", holder, article_id,
                                   role=role, rule="title-before-name",
                                   score=0.9 if holder else 0.8))
    return found


@lru_cache(maxsize=1)
def _title_list_regex() -> re.Pattern[str]:
    """Titles joined by 、 and an optional space: the gap between employer and name."""
    title = title_regex().pattern
    return re.compile(f"(?:{title})(?:、(?:{title}))*\\s?")


def _employer(text: str, ends: dict[int, Mention], gap_start: int) -> Mention | None:
    """The organization or country a title right after ``gap_start`` belongs to.

    中国驻英国大使: the ambassador is China's, posted in 英国.
    """
    org = ends.get(gap_start)
    if org is not None and org.type == "LOC" and text[org.start - 1:org.start] == "驻":
        return ends.get(org.start - 1)
    return org


def inner_organizations(text: str, mentions: Sequence[Mention],
                        article_id: str = "") -> list[tuple[Mention, Mention]]:
    """(unit, parent) pairs for organization names that contain another.

    >>> t = "国网大连供电公司二次检修工区"
    >>> [(u.text, p.text) for u, p in inner_organizations(t, [Mention(0, 14, t, "ORG")])]
    [('国网大连供电公司二次检修工区', '国网大连供电公司')]
    """
    suffix_re = org_suffix_regex()
    pairs = []
    for m in mentions:
        if m.type != "ORG":
            continue
        # 中国中车集团有限公司工会: not at 集团, whose rest is only the company form
        # nor at 委 of 委员会 (a one-character suffix with a bare ending after it)
        cuts = [c.end() for c in suffix_re.finditer(m.text)
                if 4 <= c.end() <= len(m.text) - 2
                and not m.text[c.end():].startswith(_COMPANY_FORMS)
                and not (len(c.group()) == 1 and len(m.text) - c.end() <= 2)]
        strong = [c for c in cuts if m.text[:c].endswith(_COMPANY_FORMS + _STRONG)]
        best = (strong or cuts or [None])[-1]
        if best is not None:
            parent = Mention(m.start, m.start + best, m.text[:best], "ORG", score=m.score * 0.9,
                             recognizer="rule:inner-org", article_id=article_id)
            pairs.append((m, parent))
    return pairs


def name_places(text: str, mentions: Sequence[Mention], article_id: str = "",
                index: SentenceIndex | None = None) -> tuple[list[Mention], list[Relation]]:
    """Places that open an organization's (or a place's) name, and where that puts it.

    重庆市总工会 is in 重庆市; 山东省青岛市人社局 is in 青岛市, in 山东省;
    a place the gazetteer does not know, such as 崖州湾科技城, is in the
    place its name opens with (崖州区). The places become mentions of their
    own (inside the span).

    >>> t = "山东省青岛市人社局发布了目录。"
    >>> ms, rels = name_places(t, [Mention(0, 9, "山东省青岛市人社局", "ORG")])
    >>> [m.text for m in ms], [(r.subject.text, r.object.text) for r in rels]
    (['山东省', '青岛市'], [('青岛市', '山东省'), ('山东省青岛市人社局', '青岛市')])
    """
    gz = gazetteer()
    index = index or SentenceIndex(text)
    places: list[Mention] = []
    relations: list[Relation] = []
    for org in mentions:
        if org.type not in ("ORG", "LOC") or (org.type == "LOC" and gz.lookup(org.text)):
            continue  # a place of the gazetteer is placed by the gazetteer
        found = [(s, e, p) for s, e, p in gz.prefix(org.text) if e - s >= 2]
        if not found or len(org.text) - found[-1][1] < 2:
            continue
        if org.text.startswith(_TOPICS, found[-1][1]):
            continue  # 乌克兰危机…小组 is about Ukraine, not in it
        sent = index.at(org.start) or (org.start, org.end)
        inner = [Mention(org.start + s, org.start + e, org.text[s:e], "LOC", p.level, 0.85,
                         "rule:name-prefix", article_id) for s, e, p in found]
        places += inner
        for outer, nested in pairwise(inner):
            relations.append(_relation(text, sent, nested, "located_in", outer, article_id,
                                       rule="adjacent-places", score=0.9))
        relations.append(_relation(text, sent, org, "located_in", inner[-1], article_id,
                                   rule="name-prefix", score=0.8))
    return places, relations


def locations(text: str, sent: tuple[int, int], mentions: Sequence[Mention],
              article_id: str = "") -> list[Relation]:
    """``located_in`` facts from adjacent places and 位于.

    >>> t = "位于天津市宝坻区的京津中关村科技城"
    >>> ms = [Mention(2, 5, "天津市", "LOC"), Mention(5, 8, "宝坻区", "LOC"),
    ...       Mention(9, 17, "京津中关村科技城", "ORG")]
    >>> [(r.subject.text, r.object.text) for r in locations(t, (0, len(t)), ms)]
    [('宝坻区', '天津市'), ('京津中关村科技城', '宝坻区')]
    """
    inside = sorted((m for m in mentions if sent[0] <= m.start and m.end <= sent[1]),
                    key=lambda m: m.start)
    found = []
    for a, b in pairwise(inside):
        if a.type == b.type == "LOC" and a.end == b.start and a.text.endswith(_ADMIN_END):
            found.append(_relation(text, sent, b, "located_in", a, article_id,
                                   rule="adjacent-places", score=0.9))
    for i, m in enumerate(inside):
        if text[max(sent[0], m.start - 2):m.start] != "位于":
            continue
        place = m
        j = i
        while j + 1 < len(inside) and inside[j + 1].start == inside[j].end:
            j += 1
            place = inside[j]  # the innermost of adjacent places
        after = place.end
        if text.startswith("的", after) and j + 1 < len(inside):
            thing = inside[j + 1]
            if thing.start == after + 1 and thing.type in ("ORG", "LOC"):
                found.append(_relation(text, sent, thing, "located_in", place, article_id,
                                       rule="located-at", score=0.85))
        elif m.start >= 2:
            before = [x for x in inside if x.end == m.start - 2 and x.type in ("ORG", "LOC")]
            for thing in before:
                found.append(_relation(text, sent, thing, "located_in", place, article_id,
                                       rule="located-at", score=0.85))
    return found


@lru_cache(maxsize=1)
def _triggers() -> tuple[tuple[str, str, re.Pattern[str] | None], ...]:
    raw = resources.files("kg").joinpath("resources", "lexicon", "events.tsv").read_text("utf-8")
    rows = []
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, kind, *pattern = line.split("\t")
        rows.append((word, kind, re.compile(pattern[0]) if pattern else None))
    return tuple(rows)


def _clause(text: str, sent: tuple[int, int], pos: int) -> tuple[int, int]:
    start = pos
    while start > sent[0] and text[start - 1] not in _CLAUSE_END:
        start -= 1
    end = pos
    while end < sent[1] and text[end] not in _CLAUSE_END:
        end += 1
    return start, end


_OBJECT_ROLE = {"founding", "publication", "competition", "activity"}
# Holidays a country or place name qualifies (中国春节, 中秋节): the phrase is a time.
_HOLIDAYS = ("春节", "新年", "新春", "国庆", "元旦", "传统节日", "农历新年", "中秋", "独立日")


def events(article: Article, sent: tuple[int, int], mentions: Sequence[Mention]) -> list[Event]:
    """Events triggered in one sentence, with participants, place and date."""
    text = article.text
    found: list[Event] = []
    taken: set[int] = set()
    for word, kind, after_re in _triggers():
        for match in re.finditer(re.escape(word), text[sent[0]:sent[1]]):
            t0 = sent[0] + match.start()
            t1 = t0 + len(word)
            if t0 in taken or any(m.start < t1 and t0 < m.end for m in mentions):
                continue
            c0, c1 = _clause(text, sent, t0)
            if after_re is not None and not after_re.match(text, t1, c1):
                continue
            args = _arguments(text, (c0, c1), t0, t1, kind, mentions)
            args += _speaker(text, sent, (c0, t0), mentions, args)
            if not any(role == "participant" for role, _ in args) and c0 > sent[0]:
                # 中国同巴西一道，会同…成立…: the actors are named a clause earlier
                args = _actors_before(text, (sent[0], c0), mentions) + args
            if not any(role in ("participant", "object") for role, _ in args):
                continue
            when = _date_near(article, sent, t0)
            taken.add(t0)
            found.append(Event(
                article.id, sent[0], sent[1], text[sent[0]:sent[1]], word, t0, t1, kind,
                date=when[1] if when else None, date_text=when[0] if when else "",
                arguments=tuple(args), rule=f"trigger:{word}", score=0.7,
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
        if m.type == "LOC" and text.startswith(_HOLIDAYS, m.end):
            continue  # 中国春节前夕: a time, not an actor
        if m.type == "LOC" and (before in ("在", "于") or m.start in places):
            places.add(m.end)  # 在肯尼亚内罗毕: both are where it happened
            args.append(("place", m))
        elif m.end in described:
            continue
        elif m.end <= t0:
            args.append(("participant", m))
        elif m.start >= t1:
            args.append(("object" if kind in _OBJECT_ROLE else "participant", m))
    return args


_SPEECH = re.compile(r"[，,]?(?:指出|表示|强调|说|介绍|回忆|谈到)[：:，,]")
_FIRST_PERSON = re.compile(r"我(?![国省市区县党军校厂院们])")


def _speaker(text: str, sent: tuple[int, int], before: tuple[int, int],
             mentions: Sequence[Mention], args: list[tuple[str, Mention]],
             ) -> list[tuple[str, Mention]]:
    """The person who says 我 in ``before``: the one the sentence opens with.

    习近平指出，…我同总统先生视频会晤: 我 is 习近平, a participant.
    """
    if not _FIRST_PERSON.search(text, *before):
        return []
    first = min((m for m in mentions if m.start >= sent[0] and m.end <= before[0]),
                key=lambda m: m.start, default=None)
    if (first is None or first.type != "PER" or first.start != sent[0]
            or not _SPEECH.match(text, first.end)
            or any(m is first for _, m in args)):
        return []
    return [("participant", first)]


def _actors_before(text: str, span: tuple[int, int],
                   mentions: Sequence[Mention]) -> list[tuple[str, Mention]]:
    """The actors of the nearest earlier clause of the sentence that names any."""
    end = span[1]
    while end > span[0]:
        c0, c1 = _clause(text, span, end - 1)
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


def extract(article: Article, mentions: Sequence[Mention]) -> Extraction:
    """All relations and events of one article, from its prose parts."""
    text = article.text
    derived: list[Mention] = []
    found_events: list[Event] = []
    index = SentenceIndex(text)
    places, relations = name_places(text, mentions, article.id, index)
    derived += places
    for unit, parent in inner_organizations(text, mentions, article.id):
        derived.append(parent)
        sent = index.at(unit.start) or (unit.start, unit.end)
        relations.append(_relation(text, sent, unit, "part_of", parent, article.id,
                                   rule="inner-organization", score=0.8))
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    for sent in _prose_sentences(article):
        lo, hi = bisect.bisect_left(starts, sent[0]), bisect.bisect_left(starts, sent[1])
        inside = [m for m in ordered[lo:hi] if m.end <= sent[1]]
        relations += positions(text, sent, inside, article.id)
        relations += locations(text, sent, inside, article.id)
        found_events += events(article, sent, inside)
    return Extraction(tuple(derived), tuple(relations), tuple(dedupe_events(found_events)))


def dedupe_events(found: Sequence[Event]) -> list[Event]:
    """One event per happening within an article.

    Two triggers of one type in one sentence (举行会谈) are one event; so are
    two mentions of one type whose casts overlap: a headline and the sentence
    that reports it (习近平同俄罗斯总统普京通电话 / 2月24日下午，…通电话), or
    联盟组建 and 联盟成立后. The one with a date wins, then the one with
    more arguments, then the earlier.
    """
    def cast(ev: Event) -> set[str]:
        return {m.text for role, m in ev.arguments if role != "place"}

    def rank(ev: Event) -> tuple:
        return (ev.date is None, -len(ev.arguments), ev.trigger_start)

    kept: list[Event] = []
    for ev in sorted(found, key=rank):
        same = any(k.type == ev.type and (
            (k.start, k.end) == (ev.start, ev.end) or cast(k) & cast(ev)) for k in kept)
        if not same:
            kept.append(ev)
    return sorted(kept, key=lambda e: e.trigger_start)


def _prose_sentences(article: Article) -> list[tuple[int, int]]:
    parts = [p for p in article.parts if p.kind in PROSE_PARTS] or None
    if parts is None:  # an article without layout parts: all of it is prose
        return sentences(article.text)
    out = []
    for p in parts:
        out += [(p.start + s, p.start + e) for s, e in sentences(article.text[p.start:p.end])]
    return out


class SentenceIndex:
    """The sentences of a text, found by position in O(log n).

    >>> idx = SentenceIndex("他说：“好。”双方同意。")
    >>> idx.at(8), idx.at(99)
    ((7, 12), None)
    """

    def __init__(self, text: str) -> None:
        self.spans = sentences(text)
        self._starts = [s for s, _ in self.spans]

    def at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]:
            return self.spans[i]
        return None
