"""The pipeline: input files → articles → mentions → facts → entities → graph.

I/O happens only at the ends (``ingest`` reads, ``api`` writes); every stage
in between is a pure function of records.

A build streams. Articles are read one document at a time and analysed in
batches (serially, in worker processes, or on a Dask cluster: ``kg.build.runners``);
the triples that need an article's text are made while the batch still holds
it, and the batch keeps only text-free records after that:

* **text triples** — every triple whose subject is a text span (``…#char=s,e``):
  mention nodes (offsets, anchor text, source offset, recognizer, their
  sentence) and evidence nodes (the sentence of a fact), and each article's
  text length. They depend on one article and never on how entities are
  resolved. ``graph.add_corpus(..., resolved=False)`` makes only these.
* **resolved triples** — everything else: entities, labels and aliases, the
  links from entities to their mentions, memberships, statements, events,
  articles. Resolution needs every mention of the corpus (cheap records: a
  span, a name, a type), not texts, so these are made once at the end from
  the text-free records (``add_corpus(..., text=False)``).

The union is exactly the graph of the one-shot ``to_graph(assemble(...))``
(tests/test_scale.py checks it). What a build holds does not grow with the
corpus: the triples go straight into an on-disk Oxigraph store (workers send
them as N-Triples bytes, which Oxigraph parses natively), the text-free
records wait in a spill file, and resolution runs in two passes — every
mention votes for its name's type (one counter per distinct name), then
the records are resolved and turned into triples 500 articles at a time.
"""

from __future__ import annotations

import collections
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.extract.relations import Extraction, extract
from kg.ingest.reading import MAX_ARTICLE_CHARS, BuildReport, Counted, batched, iter_articles
from kg.model import Article, Entity, Event, Mention, Relation
from kg.rdf.graph import Corpus, add_corpus
from kg.rdf.store import Store, StoreSink
from kg.rdf.terms import ntriples
from kg.recognize.steps import recognize_many
from kg.resolve import (
    DEFAULT_BASE,
    TypeVotes,
    entity_index,
    entity_iri,
    link_relations,
    resolve,
)
from kg.text.unicode import original_span, without_format

# Parts the recognizer reads. Bylines and credits yield their people through
# ``Article.credits``; continuation markers hold no names.
RECOGNIZED_PARTS = ("title", "subtitle", "subhead", "dateline", "body", "caption")

Triple = tuple[Any, Any, Any]


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
    # The recognizer reads the text without format characters (a zero-width
    # joiner inside 习近平 would split the name); mentions point into the
    # original text, so ``a.text[m.start:m.end] == m.text`` still holds.
    clean = [without_format(a.text[s:e]) for a, s, e in spans]
    found = recognize_many([text for text, _ in clean])
    per_article: dict[str, list[Mention]] = collections.defaultdict(list)
    for (a, s, _), (_, offsets), mentions in zip(spans, clean, found, strict=True):
        for m in mentions:
            start, end = original_span(offsets, m.start, m.end)
            per_article[a.id].append(Mention(start + s, end + s, a.text[start + s:end + s],
                                             m.type, m.subtype, m.score, m.recognizer, a.id))
    results = []
    for a in articles:
        taken = {(c.start, c.end) for c in a.credits}
        mentions = [m for m in per_article[a.id] if (m.start, m.end) not in taken]
        mentions += credit_mentions(a)
        mentions.sort(key=lambda m: (m.start, m.end))
        results.append(ArticleResult(a, tuple(mentions), extract(a, mentions)))
    return results


def _publications(articles: Iterable[Article], base: str
                  ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Publisher and agency IRIs per article (本报 is the publication itself),
    and the name of every such organization by IRI."""
    publishers: dict[str, str] = {}
    agencies: dict[str, str] = {}
    names: dict[str, str] = {}
    for a in articles:
        agency = a.source if a.agency in ("本报", "") else a.agency
        for table, name in ((publishers, a.source), (agencies, agency)):
            if name:
                table[a.id] = iri = entity_iri(f"ORG:{name}", base)
                names[iri] = name
    return publishers, agencies, names


def all_mentions(results: Iterable[ArticleResult]) -> Iterator[Mention]:
    """Every mention of ``results``, in order: the recognized, then the extracted."""
    for r in results:
        yield from r.mentions
        yield from r.extraction.mentions


def assemble(results: Sequence[ArticleResult], base: str = DEFAULT_BASE,
             votes: TypeVotes | None = None) -> Corpus:
    """Resolve entities across all articles and link the facts to them.

    With ``votes`` (see :class:`kg.resolve.TypeVotes`) ``results`` may be a
    chunk of a bigger corpus: the corpus of that chunk, resolved as part of
    the whole.
    """
    entities = resolve(all_mentions(results), base, votes)
    index = entity_index(entities)
    relations: list[Relation] = link_relations(
        (rel for r in results for rel in r.extraction.relations), index)
    events: list[Event] = [ev for r in results for ev in r.extraction.events]
    articles = tuple(r.article for r in results)
    publishers, agencies, names = _publications(articles, base)
    known = {e.iri for e in entities}
    # a publication or agency named only in a masthead or byline has no mention
    extra = [Entity(f"ORG:{name}", name, "ORG", iri=iri)
             for iri, name in sorted(names.items()) if iri not in known]
    return Corpus(articles, tuple(entities) + tuple(extra), tuple(relations), tuple(events),
                  base, publishers, agencies)


# -------------------------------------------------------------- two kinds of triples


class TripleList(list):
    """A list with the ``add`` of a graph: collects triples in order."""

    def add(self, triple: Triple) -> None:
        self.append(triple)


def text_triples(results: Sequence[ArticleResult], base: str = DEFAULT_BASE) -> list[Triple]:
    """The triples of ``results`` that need article text (spans and text lengths)."""
    out = TripleList()
    add_corpus(out, assemble(results, base), resolved=False)  # type: ignore[arg-type]
    return out


@dataclass
class Tally:
    """What a resolution found, counted chunk by chunk (for the summary)."""

    iris: dict[str, set[str]] = field(default_factory=lambda: {"PER": set(), "ORG": set(),
                                                               "LOC": set()})
    articles: int = 0
    relations: int = 0
    events: int = 0

    def add(self, corpus: Corpus) -> None:
        for e in corpus.entities:
            self.iris.setdefault(e.type, set()).add(e.iri)
        self.articles += len(corpus.articles)
        self.relations += len(corpus.relations) + sum(len(a.credits) for a in corpus.articles)
        self.events += len(corpus.events)


RESOLVE_CHUNK = 500
"""Articles resolved (and turned into triples) at a time in a build's second pass."""


def resolved_triples(results: Iterable[ArticleResult], sink: Any, base: str = DEFAULT_BASE,
                     votes: TypeVotes | None = None, chunk: int = RESOLVE_CHUNK) -> Tally:
    """Add the triples that need all mentions (no text) to ``sink``.

    ``votes`` holds the type votes of every mention of ``results`` (counted
    here when not given, which reads ``results`` twice); the results are
    then resolved ``chunk`` articles at a time, so what is held at once is
    a chunk plus one counter per distinct name. The triples are exactly
    those of resolving everything at once (tests/test_scale.py).
    """
    if votes is None:
        results = list(results)
        votes = TypeVotes()
        votes.add(all_mentions(results))
    tally = Tally()
    for part in batched(results, chunk):
        corpus = assemble(part, base, votes)
        add_corpus(sink, corpus, text=False)
        tally.add(corpus)
    return tally


class Spill:
    """The text-free results of a build, kept in a file between its two passes.

    >>> import tempfile, pathlib
    >>> spill = Spill(pathlib.Path(tempfile.mkdtemp()) / "records")
    >>> spill.add(["a", "b"]); spill.add(["c"])
    >>> list(spill), spill.count
    (['a', 'b', 'c'], 3)
    >>> spill.remove()
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.out: Any = path.open("wb")
        self.count = 0

    def add(self, results: Sequence[Any]) -> None:
        pickle.dump(tuple(results), self.out, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += len(results)

    def _close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None

    def __iter__(self) -> Iterator[Any]:
        self._close()
        with self.path.open("rb") as f:
            while True:
                try:
                    batch = pickle.load(f)  # our own file, written above: trusted
                except EOFError:
                    return
                yield from batch

    def remove(self) -> None:
        self._close()
        self.path.unlink(missing_ok=True)


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


def process_batch(articles: Sequence[Article], base: str = DEFAULT_BASE) -> Batch:
    """Analyse a batch and make its text triples (pure; runs in a worker)."""
    results = analyze(articles)
    triples = text_triples(results, base)
    return Batch(tuple(slim(r) for r in results), ntriples(triples),
                 sum(len(a.text) for a in articles))


# -------------------------------------------------------------- the build


def fill_counts(report: BuildReport, tally: Tally) -> None:
    """Entity, relation and event counts of a resolution into ``report``."""
    report.entities = {"Person": len(tally.iris["PER"]), "Organization": len(tally.iris["ORG"]),
                       "Place": len(tally.iris["LOC"])}
    report.relations = tally.relations
    report.events = tally.events


def build(paths: Sequence[str], *, date: str | None = None, strict: bool = False,
          base: str = DEFAULT_BASE, batch: int = 32, workers: int = 1,
          dask: str | None = None, store: str | None = None,
          max_chars: int = MAX_ARTICLE_CHARS, scratch: str | None = None,
          progress: Callable[[int, int], None] | None = None) -> tuple[Graph, BuildReport]:
    """Build the graph of ``paths``; returns it with the build report.

    ``workers`` > 1 analyses batches in that many processes, ``dask`` (a
    scheduler address such as ``tcp://10.0.0.5:8786``) on a Dask cluster;
    the graph is the same either way. ``store`` (a folder) makes the build
    incremental: see :mod:`kg.build.incremental`. ``progress(done, total)`` is
    called after each batch; ``total`` is the articles read so far, since a
    stream does not know its length.

    The triples go into an on-disk Oxigraph store in a scratch folder under
    ``scratch`` (default: the system's temp dir), never into Python memory;
    the graph returned is an rdflib view of it, and the folder goes when
    the graph (or the :class:`~kg.api.KnowledgeGraph` made of it) does.
    """
    if store is not None:
        from kg.build.incremental import build_into_store

        return build_into_store(paths, store, date=date, strict=strict, base=base,
                                batch=batch, workers=workers, dask=dask,
                                max_chars=max_chars, scratch=scratch, progress=progress)
    from kg.build.runners import run_batches

    started = time.perf_counter()
    report = BuildReport(workers=workers)
    target = Store.temporary(scratch)
    assert target.path is not None
    spill = Spill(target.path.with_name(target.path.name + ".records"))
    votes = TypeVotes()
    try:
        articles = Counted(iter_articles(paths, date=date, strict=strict, report=report,
                                         max_chars=max_chars))
        for done in run_batches(batched(articles, batch), base=base, workers=workers,
                                dask=dask):
            target.add_ntriples(done.ntriples)
            votes.add(all_mentions(done.results))
            spill.add(done.results)
            report.characters += done.characters
            if progress:
                progress(spill.count, articles.count)
        with StoreSink(target) as sink:
            tally = resolved_triples(spill, sink, base, votes)
    finally:
        spill.remove()
    report.articles = spill.count
    fill_counts(report, tally)
    report.seconds = time.perf_counter() - started
    return target.to_rdflib(), report
