"""The work of one batch of articles: recognize, extract, and the text triples.

:func:`process_batch` is a pure function of its articles; it runs in the
main process, in a worker process or on a Dask worker, with the same result.
Its :class:`Batch` holds text-free records (for resolution) and the triples
that need the article text, already as N-Triples bytes.
"""

from __future__ import annotations

import collections
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kg.build.resolution import ArticleResult, assemble
from kg.build.stages import StageClock
from kg.extract import Extraction, extract
from kg.extract.learned_events import predicted_together
from kg.model import Article, Mention
from kg.rdf.graph import corpus_lines
from kg.recognize import recognize_many
from kg.resolve import DEFAULT_BASE
from kg.text.unicode import original_span, without_format

__all__ = ["RECOGNIZED_PARTS", "ArticleResult", "Batch", "analyze", "credit_mentions",
           "process_batch", "slim", "text_triples"]

# Parts the recognizer reads. Bylines and credits yield their people through
# ``Article.credits``; continuation markers hold no names.
RECOGNIZED_PARTS = ("title", "subtitle", "subhead", "dateline", "body", "caption")


def _part_spans(article: Article) -> list[tuple[int, int]]:
    parts = [(p.start, p.end) for p in article.parts if p.kind in RECOGNIZED_PARTS]
    return parts or [(0, len(article.text))]


def credit_mentions(article: Article) -> list[Mention]:
    """People of the bylines and photo credits as PER mentions."""
    return [Mention(c.start, c.end, c.name, "PER", score=0.95,
                    recognizer=f"layout:{c.role}", article_id=article.id)
            for c in article.credits]


def analyze(articles: Sequence[Article], recognizer: str | None = None,
            clock: StageClock | None = None) -> list[ArticleResult]:
    """Recognize and extract, article by article (pure; batched for the model).

    ``recognizer`` names the base recognizer (see :mod:`kg.recognize.base`);
    ``clock`` (a :class:`~kg.build.stages.StageClock`) is told the time of each stage.
    """
    clock = clock or StageClock()
    with clock("recognize"):
        per_article = _recognized(articles, recognizer)
    results = []
    with clock("extract"), predicted_together(articles):  # the event model once for the batch
        for a in articles:
            taken = {(c.start, c.end) for c in a.credits}
            mentions = [m for m in per_article[a.id] if (m.start, m.end) not in taken]
            mentions += credit_mentions(a)
            mentions.sort(key=lambda m: (m.start, m.end))
            results.append(ArticleResult(a, tuple(mentions), extract(a, mentions)))
    return results


def _recognized(articles: Sequence[Article], recognizer: str | None
                ) -> dict[str, list[Mention]]:
    """The recognizer's mentions of each article (by id), offsets into its text."""
    spans = [(a, s, e) for a in articles for s, e in _part_spans(a)]
    # The recognizer reads the text without format characters (a zero-width
    # joiner inside 习近平 would split the name); mentions point into the
    # original text, so ``a.text[m.start:m.end] == m.text`` still holds.
    clean = [without_format(a.text[s:e]) for a, s, e in spans]
    found = recognize_many([text for text, _ in clean], base=recognizer)
    per_article: dict[str, list[Mention]] = collections.defaultdict(list)
    for (a, s, _), (_, offsets), mentions in zip(spans, clean, found, strict=True):
        for m in mentions:
            start, end = original_span(offsets, m.start, m.end)
            per_article[a.id].append(Mention(start + s, end + s, a.text[start + s:end + s],
                                             m.type, m.subtype, m.score, m.recognizer, a.id))
    return per_article


def text_triples(results: Sequence[ArticleResult], base: str = DEFAULT_BASE) -> list[str]:
    """The triples of ``results`` that need article text (spans and text lengths).

    They come as N-Triples lines (:func:`kg.rdf.graph.corpus_lines`).
    """
    return corpus_lines(assemble(results, base), resolved=False)


def slim(result: ArticleResult) -> ArticleResult:
    """The result without the article text, source map and evidence sentences.

    What is left is what resolution and the resolved triples read.
    """
    a = replace(result.article, text="", source_map=())
    x = result.extraction
    extraction = Extraction(x.mentions, tuple(replace(r, evidence="") for r in x.relations),
                            tuple(replace(e, evidence="") for e in x.events))
    return ArticleResult(a, result.mentions, extraction)


@dataclass(frozen=True, slots=True)
class Batch:
    """What a worker returns for a batch of articles: text-free results and text triples.

    The triples come as N-Triples text: formatting them is the worker's
    work, and the main process hands the bytes to Oxigraph's parser as they
    are (one ``bytes`` object also pickles far faster than many terms).
    """

    results: tuple[ArticleResult, ...]
    ntriples: bytes
    characters: int
    seconds: tuple[tuple[str, float], ...] = ()  # (stage, wall seconds) in the worker


def process_batch(articles: Sequence[Article], base: str = DEFAULT_BASE,
                  recognizer: str | None = None) -> Batch:
    """Analyse a batch and make its text triples (pure but for the clock; runs in a worker)."""
    clock = StageClock()
    results = analyze(articles, recognizer, clock)
    with clock("triples"):
        data = "".join(text_triples(results, base)).encode("utf-8")
    return Batch(tuple(slim(r) for r in results), data, sum(len(a.text) for a in articles),
                 clock.pairs())
