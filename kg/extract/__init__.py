"""Relations and events from the mentions of one article (pure).

Every extractor is a function ``(ArticleContext) -> Extraction`` registered
by name (:func:`kg.registry.relation_extractor`); :func:`extract` runs them
all in their declared order. The shipped ones, each small and tested with
real sentences:

* ``name-places`` — places that open a name (浙江省温州市人社局 is in 温州市);
* ``part-of`` — an organization name that continues past another is a unit
  of it (国网苏州供电公司变电运维工区 ⊂ 国网苏州供电公司);
* ``positions`` — titles between an organization and a person make a
  membership with that role (湖北省总工会党组书记、副主席李文军);
* ``locations`` — adjacent places (河南省洛阳市) and ``位于X的Y``;
* ``events`` — trigger words with their participants, place and date, and
  named events (第十五届全国运动会) merged into the trigger event that holds them;
* ``event-model`` — DuEE's 65 types from the learned model.

The events of all extractors are then read as one article: a sub-event (the
deaths after an earthquake) is linked to its event and inherits its date and
place (:mod:`kg.extract.episodes`).

>>> from kg.model import Article
>>> text = "中车株洲电力机车有限公司工会主席王立新介绍经验。"
>>> art = Article("a", text, parts=(), date="2025-02-25")
>>> ms = [Mention(0, 12, "中车株洲电力机车有限公司", "ORG"), Mention(16, 19, "王立新", "PER")]
>>> [(r.subject.text, r.role, r.object.text) for r in extract(art, ms).relations]
[('王立新', '工会主席', '中车株洲电力机车有限公司')]
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.extract import (  # noqa: F401  (they register)
    events,
    learned_events,
    locations,
    positions,
    units,
)
from kg.extract.context import PROSE_PARTS, ArticleContext, Extraction
from kg.extract.episodes import episodes, same_kind
from kg.model import Article, Event, Mention, Relation
from kg.registry import relation_extractors

__all__ = ["PROSE_PARTS", "ArticleContext", "Extraction", "extract"]


def extract(article: Article, mentions: Sequence[Mention]) -> Extraction:
    """Everything the registered extractors find in one article, in their order."""
    ctx = ArticleContext.of(article, mentions)
    derived: list[Mention] = []
    relations: list[Relation] = []
    found: list[Event] = []
    for ex in relation_extractors():
        out = ex.fn(ctx)
        derived += out.mentions
        relations += out.relations
        found += _new_happenings(found, out.events)
    titles = [(p.start, p.end) for p in article.parts if p.kind in ("title", "subtitle")]
    return Extraction(tuple(derived), tuple(relations), tuple(episodes(found, titles)))


def _new_happenings(kept: Sequence[Event], new: Sequence[Event]) -> list[Event]:
    """The events that no event of an earlier extractor already reads.

    Two extractors reading one trigger, or one sentence's happening of the same
    kind (the rules' meeting and DuEE's 会见 in 我同范明政总理举行会谈), are two
    readings of one happening: the extractor that runs first wins, so the
    declared order is also the priority.

    >>> a = Event("a", 0, 9, "…", "会谈", 4, 6, "meeting")
    >>> b = Event("a", 0, 9, "…", "会", 4, 5, "MeetWith")
    >>> c = Event("a", 0, 9, "…", "死亡", 7, 9, "Death")
    >>> [e.type for e in _new_happenings([a], [b, c])]
    ['Death']
    """
    def read(e: Event) -> bool:
        return any((k.trigger_start < e.trigger_end and e.trigger_start < k.trigger_end)
                   or ((k.start, k.end) == (e.start, e.end) and same_kind(k.type, e.type))
                   for k in kept)
    return [e for e in new if not read(e)]
