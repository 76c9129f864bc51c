"""What a relation extractor reads and returns: :class:`ArticleContext`, :class:`Extraction`.

An extractor is a function ``(ArticleContext) -> Extraction`` registered by
name (:func:`kg.registry.relation_extractor`). The context holds one article,
the recognizer's mentions and the article's sentences; the extraction holds
what the extractor found: relations, events, and mentions it derived (an
inner organization, a place opening a name).

>>> from kg.model import Article
>>> art = Article("a", "王平在北京。他很好。", parts=())
>>> ctx = ArticleContext.of(art, [Mention(0, 2, "王平", "PER"), Mention(3, 5, "北京", "LOC")])
>>> [(s, e, [m.text for m in ctx.inside((s, e))]) for s, e in ctx.sentences]
[(0, 6, ['王平', '北京']), (6, 10, [])]
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.model import Article, Event, Mention, Relation
from kg.text.sentences import SentenceIndex, sentences

__all__ = ["PROSE_PARTS", "ArticleContext", "Extraction", "make_relation", "prose_sentences"]

PROSE_PARTS = ("title", "subtitle", "subhead", "body", "caption")
"""Parts whose text is prose the rules may read; bylines and credits are
handled from ``Article.credits``."""


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one article yields besides the recognizer's mentions."""

    mentions: tuple[Mention, ...] = ()  # derived mentions (inner organizations, places)
    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class ArticleContext:
    """One article, its mentions and its sentences, as every extractor sees them."""

    article: Article
    mentions: tuple[Mention, ...]  # as the recognizer gave them
    index: SentenceIndex
    sentences: tuple[tuple[int, int], ...]  # the prose sentences, in order
    _ordered: tuple[Mention, ...] = field(repr=False, default=())
    _starts: tuple[int, ...] = field(repr=False, default=())

    @classmethod
    def of(cls, article: Article, mentions: Sequence[Mention]) -> ArticleContext:
        """The context of ``article`` with the recognizer's ``mentions``."""
        ordered = tuple(sorted(mentions, key=lambda m: m.start))
        return cls(article, tuple(mentions), SentenceIndex(article.text),
                   tuple(prose_sentences(article)), ordered, tuple(m.start for m in ordered))

    @property
    def text(self) -> str:
        return self.article.text

    def inside(self, sent: tuple[int, int]) -> list[Mention]:
        """The mentions within sentence ``sent``, by start."""
        lo = bisect.bisect_left(self._starts, sent[0])
        hi = bisect.bisect_left(self._starts, sent[1])
        return [m for m in self._ordered[lo:hi] if m.end <= sent[1]]

    def sentence_of(self, m: Mention) -> tuple[int, int]:
        """The sentence a mention starts in (its own span if none)."""
        return self.index.at(m.start) or (m.start, m.end)



def make_relation(text: str, sent: tuple[int, int], subj: Mention, pred: str,
                  obj: Mention | None, article_id: str, **kw: object) -> Relation:
    """A relation whose evidence is sentence ``sent`` of ``text``.

    >>> r = make_relation("王平任主席。", (0, 6), Mention(0, 2, "王平", "PER"), "holds_position",
    ...                   None, "a", role="主席")
    >>> r.evidence, r.role
    ('王平任主席。', '主席')
    """
    s, e = sent
    return Relation(subj, pred, obj, article_id, s, e, text[s:e], **kw)  # type: ignore[arg-type]


def prose_sentences(article: Article) -> list[tuple[int, int]]:
    parts = [p for p in article.parts if p.kind in PROSE_PARTS] or None
    if parts is None:  # an article without layout parts: all of it is prose
        return sentences(article.text)
    out = []
    for p in parts:
        out += [(p.start + s, p.start + e) for s, e in sentences(article.text[p.start:p.end])]
    return out
