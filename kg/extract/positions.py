"""Positions: titles between an organization (or country) and a person's name.

``湖北省总工会党组书记、副主席李文军`` gives 李文军 党组书记 and 副主席 at
湖北省总工会 (``holds_position`` relations with the role); a title with no
organization before it (国家主席习近平) is a bare title.

>>> t = "湖北省总工会党组书记、副主席李文军表示"
>>> ms = [Mention(0, 6, "湖北省总工会", "ORG"), Mention(14, 17, "李文军", "PER")]
>>> [(r.role, r.object.text) for r in positions(t, (0, len(t)), ms)]
[('党组书记', '湖北省总工会'), ('副主席', '湖北省总工会')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from kg.extract.context import ArticleContext, Extraction, make_relation
from kg.lexicon.rules import self_titles, title_regex
from kg.model import Mention, Relation
from kg.registry import relation_extractor

__all__ = ["positions"]


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
            found.append(make_relation(text, sent, person, "holds_position", holder, article_id,
                                   role=role, rule="title-before-name",
                                   score=0.9 if holder else 0.8))
    return found


def _employer(text: str, ends: dict[int, Mention], gap_start: int) -> Mention | None:
    """The organization or country a title right after ``gap_start`` belongs to.

    中国驻英国大使: the ambassador is China's, posted in 英国.
    """
    org = ends.get(gap_start)
    if org is not None and org.type == "LOC" and text[org.start - 1:org.start] == "驻":
        return ends.get(org.start - 1)
    return org


@lru_cache(maxsize=1)
def _title_list_regex() -> re.Pattern[str]:
    """Titles joined by 、 and an optional space: the gap between employer and name."""
    title = title_regex().pattern
    return re.compile(f"(?:{title})(?:、(?:{title}))*\\s?")


@relation_extractor("positions", before="locations")
def _positions(ctx: ArticleContext) -> Extraction:
    found: list[Relation] = []
    for sent in ctx.sentences:
        found += positions(ctx.text, sent, ctx.inside(sent), ctx.article.id)
    return Extraction(relations=tuple(found))
