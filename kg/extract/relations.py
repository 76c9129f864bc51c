"""Relations and events from the mentions of one article (pure).

Rules, each small and each tested with real sentences:

* **positions** — titles between an organization (or country) and a person
  name make a membership with that role: ``湖北省总工会党组书记、副主席李文军``
  gives 李文军 党组书记 and 副主席 at 湖北省总工会. Titles with no organization
  before them (国家主席习近平) give a bare title.
* **part of** — an organization name that continues past a complete
  organization name is a unit of it (国网苏州供电公司变电运维工区 ⊂
  国网苏州供电公司); the inner organization becomes a mention of its own.
* **located in** — two adjacent places, the first an administrative unit
  (河南省洛阳市), and ``位于X的Y`` / ``Y位于X``.
* **events** — trigger words with their participants, place and date
  (:mod:`kg.extract.events`).

>>> from kg.model import Article
>>> text = "中车株洲电力机车有限公司工会主席王立新介绍经验。"
>>> art = Article("a", text, parts=(), date="2025-02-25")
>>> ms = [Mention(0, 12, "中车株洲电力机车有限公司", "ORG"), Mention(16, 19, "王立新", "PER")]
>>> [(r.subject.text, r.role, r.object.text) for r in extract(art, ms).relations]
[('王立新', '工会主席', '中车株洲电力机车有限公司')]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from kg.extract.events import SENTENCE_END, dedupe_events, events
from kg.lexicon.gazetteer import gazetteer
from kg.lexicon.rules import org_suffix_regex, self_titles, title_regex
from kg.model import Article, Event, Mention, Relation

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
        if text[i] in SENTENCE_END:
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

    >>> t = "湖北省总工会党组书记、副主席李文军表示"
    >>> ms = [Mention(0, 6, "湖北省总工会", "ORG"), Mention(14, 17, "李文军", "PER")]
    >>> [(r.role, r.object.text) for r in positions(t, (0, len(t)), ms)]
    [('党组书记', '湖北省总工会'), ('副主席', '湖北省总工会')]
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

    >>> t = "国网苏州供电公司变电运维工区"
    >>> [(u.text, p.text) for u, p in inner_organizations(t, [Mention(0, 14, t, "ORG")])]
    [('国网苏州供电公司变电运维工区', '国网苏州供电公司')]
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

    湖北省总工会 is in 湖北省; 浙江省温州市人社局 is in 温州市, in 浙江省;
    a place the gazetteer does not know, such as 崖州湾科技城, is in the
    place its name opens with (崖州区). The places become mentions of their
    own (inside the span).

    >>> t = "浙江省温州市人社局发布了目录。"
    >>> ms, rels = name_places(t, [Mention(0, 9, "浙江省温州市人社局", "ORG")])
    >>> [m.text for m in ms], [(r.subject.text, r.object.text) for r in rels]
    (['浙江省', '温州市'], [('温州市', '浙江省'), ('浙江省温州市人社局', '温州市')])
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
            continue  # 阿富汗问题…小组 is about Afghanistan, not in it
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

    >>> t = "位于四川省成都市的天府软件园"
    >>> ms = [Mention(2, 5, "四川省", "LOC"), Mention(5, 8, "成都市", "LOC"),
    ...       Mention(9, 14, "天府软件园", "ORG")]
    >>> [(r.subject.text, r.object.text) for r in locations(t, (0, len(t)), ms)]
    [('成都市', '四川省'), ('天府软件园', '成都市')]
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
