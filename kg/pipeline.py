"""The pipeline: input files → articles → mentions → facts → entities → graph.

I/O happens only at the ends (``ingest`` reads, ``api`` writes); every stage
in between is a pure function of records.

A build streams. Articles are read one document at a time and analysed in
batches (serially, in worker processes, or on a Dask cluster: ``kg.parallel``);
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
import hashlib
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rdflib import Graph

from .errors import InputError
from .extract import Extraction, extract
from .graph import Corpus, add_corpus
from .ingest import iter_documents
from .layout import split_articles
from .model import Article, Entity, Event, Mention, Relation
from .recognize import recognize_many
from .resolve import (
    DEFAULT_BASE,
    TypeVotes,
    entity_index,
    entity_iri,
    link_relations,
    resolve,
)
from .store import Store, StoreSink
from .terms import ntriples

# Parts the recognizer reads. Bylines and credits yield their people through
# ``Article.credits``; continuation markers hold no names.
RECOGNIZED_PARTS = ("title", "subtitle", "subhead", "dateline", "body", "caption")

MAX_ARTICLE_CHARS = 200_000
"""Articles longer than this are reported and skipped, not analysed.

A news article is a few thousand characters; one of 200k is a whole book or
a file without line breaks laid out as one article. Analysing it would hold
its mentions and sentences at once and some per-article rules scan all of
them per mention, so it is refused with a reason that says how to split it.
"""

Triple = tuple[Any, Any, Any]


@dataclass
class BuildReport:
    """What a build read, skipped and found; printed as the summary."""

    files: int = 0
    documents: int = 0
    articles: int = 0
    skipped: list[dict] = field(default_factory=list)  # {path, line, reason}
    duplicates: int = 0  # articles whose text was already read in this build or the store
    duplicated: list[dict] = field(default_factory=list)  # {path, line, article} of each
    entities: dict[str, int] = field(default_factory=dict)  # class → count
    relations: int = 0
    events: int = 0
    seconds: float = 0.0
    characters: int = 0  # article characters analysed
    workers: int = 1
    store: dict = field(default_factory=dict)  # path, articles before/after, triples

    def skip(self, err: InputError) -> None:
        self.skipped.append({"path": err.path, "line": err.line, "reason": err.reason})

    def as_dict(self) -> dict:
        out = {
            "files": self.files, "documents": self.documents, "articles": self.articles,
            "duplicates": self.duplicates, "duplicated": list(self.duplicated),
            "characters": self.characters,
            "entities": dict(self.entities), "relations": self.relations,
            "events": self.events, "seconds": round(self.seconds, 3),
            "workers": self.workers, "skipped": list(self.skipped),
        }
        if self.store:
            out["store"] = dict(self.store)
        return out


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


# -------------------------------------------------------------- reading


def content_hash(text: str) -> str:
    """The identity of an article's content (sha1 of its text).

    >>> content_hash("正文")[:12]
    'a0d95bc304ff'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def iter_articles(paths: Sequence[str], *, date: str | None, strict: bool,
                  report: BuildReport, seen: dict[str, str] | None = None,
                  max_chars: int = MAX_ARTICLE_CHARS) -> Iterator[Article]:
    """Read and lay out the inputs one document at a time; yield new articles.

    Bad inputs are reported and skipped (raised under ``strict``). ``seen``
    maps article ids already read (in this build or an earlier one kept in
    a store) to their content hash: the same text again is counted as a
    duplicate; the same id with another text is reported and skipped.
    Articles longer than ``max_chars`` are reported and skipped.
    """
    seen = {} if seen is None else seen
    files: set[str] = set()
    for doc in iter_documents(paths, on_error=report.skip, strict=strict):
        files.add(doc.path)
        report.documents += 1
        try:
            articles = split_articles(doc, date=date)
        except InputError as err:
            if strict:
                raise
            report.skip(err)
            continue
        if not articles:  # e.g. a page holding only its masthead: say so, never drop silently
            report.skip(InputError("no article text (only a masthead or layout lines)",
                                   path=doc.path, line=doc.line))
        for a in articles:
            digest = content_hash(a.text)
            known = seen.get(a.id)
            if known == digest:
                report.duplicates += 1  # the same article again: listed, not analysed
                report.duplicated.append({"path": a.path, "line": a.line, "article": a.id})
                continue
            problem = _article_problem(a, known, max_chars)
            if problem is not None:
                if strict:
                    raise problem
                report.skip(problem)
                continue
            seen[a.id] = digest
            yield a
    report.files = len(files | {s["path"] for s in report.skipped})


def _article_problem(a: Article, known: str | None, max_chars: int) -> InputError | None:
    where = f"article {a.title[:20]!r}" if a.title else f"article {a.id}"
    if len(a.text) > max_chars:
        return InputError(f"{where} has {len(a.text)} characters, more than the limit of "
                          f"{max_chars}; split it into articles (a blank line and a "
                          "headline between them)", path=a.path, line=a.line)
    if known is not None:
        return InputError(f"article id {a.id!r} was already read with a different text; "
                          "give each record its own id", path=a.path, line=a.line)
    return None


def read_articles(paths: Sequence[str], *, date: str | None, strict: bool,
                  report: BuildReport) -> list[Article]:
    """Every new article of ``paths`` in a list (small inputs and tests only)."""
    return list(iter_articles(paths, date=date, strict=strict, report=report))


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive lists of at most ``size`` items (the last may be shorter).

    >>> [len(b) for b in batched(range(5), 2)]
    [2, 2, 1]
    """
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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


class Counted:
    """An iterator that counts what it has given (the articles read so far)."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = iter(items)
        self.count = 0

    def __iter__(self) -> Counted:
        return self

    def __next__(self) -> Any:
        item = next(self.items)
        self.count += 1
        return item


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
    incremental: see :mod:`kg.incremental`. ``progress(done, total)`` is
    called after each batch; ``total`` is the articles read so far, since a
    stream does not know its length.

    The triples go into an on-disk Oxigraph store in a scratch folder under
    ``scratch`` (default: the system's temp dir), never into Python memory;
    the graph returned is an rdflib view of it, and the folder goes when
    the graph (or the :class:`~kg.api.KnowledgeGraph` made of it) does.
    """
    if store is not None:
        from .incremental import build_into_store

        return build_into_store(paths, store, date=date, strict=strict, base=base,
                                batch=batch, workers=workers, dask=dask,
                                max_chars=max_chars, scratch=scratch, progress=progress)
    from .parallel import run_batches

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
