"""The pipeline: input files → articles → mentions → facts → entities → graph.

I/O happens only at the ends (``ingest`` reads, ``api`` writes); every stage
in between is a pure function of records.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rdflib import Graph

from .errors import InputError
from .extract import Extraction, extract
from .graph import Corpus, to_graph
from .ingest import iter_documents
from .layout import split_articles
from .model import Article, Entity, Event, Mention, Relation
from .recognize import recognize_many
from .resolve import DEFAULT_BASE, entity_index, entity_iri, link_relations, resolve

# Parts the recognizer reads. Bylines and credits yield their people through
# ``Article.credits``; continuation markers hold no names.
RECOGNIZED_PARTS = ("title", "subtitle", "subhead", "dateline", "body", "caption")


@dataclass
class BuildReport:
    """What a build read, skipped and found; printed as the summary."""

    files: int = 0
    documents: int = 0
    articles: int = 0
    skipped: list[dict] = field(default_factory=list)  # {path, line, reason}
    entities: dict[str, int] = field(default_factory=dict)  # class → count
    relations: int = 0
    events: int = 0
    seconds: float = 0.0

    def skip(self, err: InputError) -> None:
        self.skipped.append({"path": err.path, "line": err.line, "reason": err.reason})

    def as_dict(self) -> dict:
        return {
            "files": self.files, "documents": self.documents, "articles": self.articles,
            "entities": dict(self.entities), "relations": self.relations,
            "events": self.events, "seconds": round(self.seconds, 3),
            "skipped": list(self.skipped),
        }


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """One article with what the per-article stages found in it."""

    article: Article
    mentions: tuple[Mention, ...]
    extraction: Extraction


def _part_spans(article: Article) -> list[tuple[int, int]]:
    parts = [(p.start, p.end) for p in article.parts if p.kind in RECOGNIZED_PARTS]
    return parts or [(0, len(article.text))]


def credit_mentions(article: Article) -> list[Mention]:
    """People of the bylines and photo credits as PER mentions."""
    return [Mention(c.start, c.end, c.name, "PER", score=0.95,
                    recognizer=f"layout:{c.role}", article_id=article.id)
            for c in article.credits]


def analyze(articles: Sequence[Article]) -> list[ArticleResult]:
    """Recognize and extract, article by article (pure; batched for the model)."""
    spans = [(a, s, e) for a in articles for s, e in _part_spans(a)]
    found = recognize_many([a.text[s:e] for a, s, e in spans])
    per_article: dict[str, list[Mention]] = collections.defaultdict(list)
    for (a, s, _), mentions in zip(spans, found, strict=True):
        per_article[a.id] += [Mention(m.start + s, m.end + s, m.text, m.type, m.subtype,
                                      m.score, m.recognizer, a.id) for m in mentions]
    results = []
    for a in articles:
        taken = {(c.start, c.end) for c in a.credits}
        mentions = [m for m in per_article[a.id] if (m.start, m.end) not in taken]
        mentions += credit_mentions(a)
        mentions.sort(key=lambda m: (m.start, m.end))
        results.append(ArticleResult(a, tuple(mentions), extract(a, mentions)))
    return results


def _publication_iris(articles: Iterable[Article], base: str
                      ) -> tuple[dict[str, str], dict[str, str]]:
    """Publisher and agency IRIs per article (本报 is the publication itself)."""
    publishers: dict[str, str] = {}
    agencies: dict[str, str] = {}
    for a in articles:
        if a.source:
            publishers[a.id] = entity_iri(f"ORG:{a.source}", base)
        agency = a.source if a.agency in ("本报", "") else a.agency
        if agency:
            agencies[a.id] = entity_iri(f"ORG:{agency}", base)
    return publishers, agencies


def assemble(results: Sequence[ArticleResult], base: str = DEFAULT_BASE) -> Corpus:
    """Resolve entities across all articles and link the facts to them."""
    mentions = [m for r in results for m in (*r.mentions, *r.extraction.mentions)]
    entities = resolve(mentions, base)
    index = entity_index(entities)
    relations: list[Relation] = link_relations(
        (rel for r in results for rel in r.extraction.relations), index)
    events: list[Event] = [ev for r in results for ev in r.extraction.events]
    articles = tuple(r.article for r in results)
    publishers, agencies = _publication_iris(articles, base)
    known = {e.iri for e in entities}
    extra = []
    for a in articles:
        for name in {a.source, a.agency if a.agency != "本报" else ""} - {""}:
            iri = entity_iri(f"ORG:{name}", base)
            if iri not in known:
                known.add(iri)
                extra.append(Entity(f"ORG:{name}", name, "ORG", iri=iri))
    return Corpus(articles, tuple(entities) + tuple(extra), tuple(relations), tuple(events),
                  base, publishers, agencies)


def read_articles(paths: Sequence[str], *, date: str | None, strict: bool,
                  report: BuildReport) -> list[Article]:
    """Read and lay out every input; bad inputs are reported and skipped."""
    articles: list[Article] = []
    seen_files: set[str] = set()
    for doc in iter_documents(paths, on_error=report.skip, strict=strict):
        seen_files.add(doc.path)
        report.documents += 1
        try:
            articles += split_articles(doc, date=date)
        except InputError as err:
            if strict:
                raise
            report.skip(err)
    report.files = len(seen_files | {s["path"] for s in report.skipped})
    return articles


def build(paths: Sequence[str], *, date: str | None = None, strict: bool = False,
          base: str = DEFAULT_BASE, batch: int = 64,
          progress: Callable[[int, int], None] | None = None) -> tuple[Graph, BuildReport]:
    """Build the graph of ``paths``; returns it with the build report."""
    started = time.perf_counter()
    report = BuildReport()
    articles = read_articles(paths, date=date, strict=strict, report=report)
    articles = list({a.id: a for a in articles}.values())  # same text twice: one article
    results: list[ArticleResult] = []
    for i in range(0, len(articles), batch):
        results += analyze(articles[i:i + batch])
        if progress:
            progress(min(i + batch, len(articles)), len(articles))
    corpus = assemble(results, base)
    graph = to_graph(corpus)
    report.articles = len(articles)
    counts = collections.Counter(e.type for e in corpus.entities)
    report.entities = {"Person": counts["PER"], "Organization": counts["ORG"],
                       "Place": counts["LOC"]}
    report.relations = len(corpus.relations) + sum(len(a.credits) for a in articles)
    report.events = len(corpus.events)
    report.seconds = time.perf_counter() - started
    return graph, report
