"""Units of organizations: an organization name that continues past another.

国网苏州供电公司变电运维工区 is a unit of 国网苏州供电公司 (``part_of``); the
parent becomes a mention of its own, inside the unit's span.

>>> t = "国网苏州供电公司变电运维工区"
>>> [(u.text, p.text) for u, p in inner_organizations(t, [Mention(0, 14, t, "ORG")])]
[('国网苏州供电公司变电运维工区', '国网苏州供电公司')]
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.extract.context import ArticleContext, Extraction, make_relation
from kg.lexicon.files import word_list
from kg.lexicon.rules import org_suffix_regex
from kg.model import Mention
from kg.registry import relation_extractor

__all__ = ["inner_organizations"]


def inner_organizations(text: str, mentions: Sequence[Mention],
                        article_id: str = "") -> list[tuple[Mention, Mention]]:
    """(unit, parent) pairs for organization names that contain another.

    >>> t = "国网苏州供电公司变电运维工区"
    >>> [(u.text, p.text) for u, p in inner_organizations(t, [Mention(0, 14, t, "ORG")])]
    [('国网苏州供电公司变电运维工区', '国网苏州供电公司')]
    """
    suffix_re = org_suffix_regex()
    forms = word_list("relations.company_forms")
    strong_ends = forms + word_list("relations.strong_suffixes")
    pairs = []
    for m in mentions:
        if m.type != "ORG":
            continue
        # 中国中车集团有限公司工会: not at 集团, whose rest is only the company form
        # nor at 委 of 委员会 (a one-character suffix with a bare ending after it)
        cuts = [c.end() for c in suffix_re.finditer(m.text)
                if 4 <= c.end() <= len(m.text) - 2
                and not m.text[c.end():].startswith(forms)
                and not (len(c.group()) == 1 and len(m.text) - c.end() <= 2)]
        strong = [c for c in cuts if m.text[:c].endswith(strong_ends)]
        best = (strong or cuts or [None])[-1]
        if best is not None:
            parent = Mention(m.start, m.start + best, m.text[:best], "ORG", score=m.score * 0.9,
                             recognizer="rule:inner-org", article_id=article_id)
            pairs.append((m, parent))
    return pairs


@relation_extractor("part-of", after="name-places")
def _units(ctx: ArticleContext) -> Extraction:
    parents, relations = [], []
    for unit, parent in inner_organizations(ctx.text, ctx.mentions, ctx.article.id):
        parents.append(parent)
        relations.append(make_relation(ctx.text, ctx.sentence_of(unit), unit, "part_of", parent,
                                       ctx.article.id, rule="inner-organization", score=0.8))
    return Extraction(tuple(parents), tuple(relations))
