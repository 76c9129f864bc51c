"""Where things are: places opening a name, adjacent places, 位于.

* ``name-places``: 浙江省温州市人社局 is in 温州市, in 浙江省 (the places become
  mentions of their own, inside the name);
* ``locations``: two adjacent places, the first an administrative unit
  (河南省洛阳市), and ``位于X的Y`` / ``Y位于X``.

>>> t = "位于四川省成都市的天府软件园"
>>> ms = [Mention(2, 5, "四川省", "LOC"), Mention(5, 8, "成都市", "LOC"),
...       Mention(9, 14, "天府软件园", "ORG")]
>>> [(r.subject.text, r.object.text) for r in locations(t, (0, len(t)), ms)]
[('成都市', '四川省'), ('天府软件园', '成都市')]
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from kg.extract.context import ArticleContext, Extraction, make_relation
from kg.lexicon.files import word_list
from kg.lexicon.gazetteer import gazetteer
from kg.model import Mention, Relation
from kg.registry import relation_extractor
from kg.text.sentences import SentenceIndex

__all__ = ["locations", "name_places"]


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
        if org.text.startswith(word_list("relations.topics"), found[-1][1]):
            continue  # 阿富汗问题…小组 is about Afghanistan, not in it
        sent = index.at(org.start) or (org.start, org.end)
        inner = [Mention(org.start + s, org.start + e, org.text[s:e], "LOC", p.level, 0.85,
                         "rule:name-prefix", article_id) for s, e, p in found]
        places += inner
        for outer, nested in pairwise(inner):
            relations.append(make_relation(text, sent, nested, "located_in", outer, article_id,
                                       rule="adjacent-places", score=0.9))
        relations.append(make_relation(text, sent, org, "located_in", inner[-1], article_id,
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
    admin = word_list("relations.admin_endings")  # 河南省洛阳市: 洛阳市 is in 河南省
    for a, b in pairwise(inside):
        if a.type == b.type == "LOC" and a.end == b.start and a.text.endswith(admin):
            found.append(make_relation(text, sent, b, "located_in", a, article_id,
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
                found.append(make_relation(text, sent, thing, "located_in", place, article_id,
                                       rule="located-at", score=0.85))
        elif m.start >= 2:
            before = [x for x in inside if x.end == m.start - 2 and x.type in ("ORG", "LOC")]
            for thing in before:
                found.append(make_relation(text, sent, thing, "located_in", place, article_id,
                                       rule="located-at", score=0.85))
    return found


@relation_extractor("name-places", before="events")
def _name_places(ctx: ArticleContext) -> Extraction:
    places, relations = name_places(ctx.text, ctx.mentions, ctx.article.id, ctx.index)
    return Extraction(tuple(places), tuple(relations))


@relation_extractor("locations", before="events")
def _locations(ctx: ArticleContext) -> Extraction:
    found: list[Relation] = []
    for sent in ctx.sentences:
        found += locations(ctx.text, sent, ctx.inside(sent), ctx.article.id)
    return Extraction(relations=tuple(found))
