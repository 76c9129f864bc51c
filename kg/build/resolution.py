"""Resolution of a build: mentions → entities, facts linked, resolved triples.

Resolution needs every mention of the corpus but no text, so it runs on the
text-free records the batches return, in two passes: every mention votes
for its name's type and every event report is grouped with the other
reports of its real event (:class:`kg.resolve.TypeVotes`, :func:`vote`), then
the records are resolved and turned into triples :data:`RESOLVE_CHUNK`
articles at a time.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.build.spill import read_part
from kg.build.stages import StageClock
from kg.extract import Extraction
from kg.ingest.reading import BuildReport, batched
from kg.model import Article, Entity, Event, Mention, Relation
from kg.rdf.graph import Corpus, add_corpus
from kg.resolve import (
    DEFAULT_BASE,
    TypeVotes,
    entity_index,
    entity_iri,
    link_relations,
    resolve,
)
from kg.resolve_events import event_nodes
from kg.types import ENTITY_CODES, by_code

__all__ = ["RESOLVE_CHUNK", "ArticleResult", "Tally", "all_mentions", "assemble", "fill_counts",
           "load_votes", "resolve_part", "resolve_records", "resolved_triples", "vote"]


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """One article with what the per-article stages found in it."""

    article: Article
    mentions: tuple[Mention, ...]
    extraction: Extraction


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


def vote(votes: TypeVotes, results: Iterable[ArticleResult]) -> TypeVotes:
    """Count the type votes of the mentions and the event groups of ``results`` into ``votes``."""
    for r in results:  # one pass: ``results`` may be a stream
        votes.add(all_mentions((r,)))
        votes.events.add(r.extraction.events)
    return votes


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
    # one node per real event: the reports of two articles (or two sentences) share it
    nodes = event_nodes(events, base, votes.events if votes is not None else None)
    articles = tuple(r.article for r in results)
    publishers, agencies, names = _publications(articles, base)
    known = {e.iri for e in entities}
    # a publication or agency named only in a masthead or byline has no mention
    extra = [Entity(f"ORG:{name}", name, "ORG", iri=iri)
             for iri, name in sorted(names.items()) if iri not in known]
    return Corpus(articles, tuple(entities) + tuple(extra), tuple(relations), tuple(events),
                  base, publishers, agencies, nodes)


@dataclass
class Tally:
    """What a resolution found, counted chunk by chunk (for the summary)."""

    iris: dict[str, set[str]] = field(default_factory=lambda: {c: set() for c in ENTITY_CODES})
    articles: int = 0
    relations: int = 0
    events: int = 0  # event nodes: the reports of one real event count once
    event_iris: set[str] = field(default_factory=set)

    def merge(self, other: Tally) -> None:
        """Add the counts of another chunk's tally."""
        for code, iris in other.iris.items():
            self.iris.setdefault(code, set()).update(iris)
        self.articles += other.articles
        self.relations += other.relations
        self.event_iris.update(other.event_iris)
        self.events = len(self.event_iris)

    def add(self, corpus: Corpus) -> None:
        for e in corpus.entities:
            self.iris.setdefault(e.type, set()).add(e.iri)
        self.articles += len(corpus.articles)
        self.relations += len(corpus.relations) + sum(len(a.credits) for a in corpus.articles)
        self.event_iris.update(corpus.event_nodes.values())
        self.events = len(self.event_iris)


RESOLVE_CHUNK = 500
"""Articles resolved (and turned into triples) at a time in a build's second pass."""


def resolved_triples(results: Iterable[ArticleResult], sink: Any, base: str = DEFAULT_BASE,
                     votes: TypeVotes | None = None, chunk: int = RESOLVE_CHUNK,
                     clock: StageClock | None = None) -> Tally:
    """Add the triples that need all mentions (no text) to ``sink``.

    ``votes`` holds the type votes of every mention of ``results`` (counted
    here when not given, which reads ``results`` twice); the results are
    then resolved ``chunk`` articles at a time, so what is held at once is
    a chunk plus one counter per distinct name. The triples are exactly
    those of resolving everything at once (tests/test_scale.py).
    """
    if votes is None:
        results = list(results)
        votes = vote(TypeVotes(), results)
    clock = clock or StageClock()
    tally = Tally()
    for part in batched(results, chunk):
        with clock("resolve"):
            corpus = assemble(part, base, votes)
        with clock("triples"):
            add_corpus(sink, corpus, text=False)
        tally.add(corpus)
    return tally


_VOTES: dict[str, TypeVotes] = {}
"""The votes a worker process has loaded (by file), kept for its next part."""


def load_votes(path: str) -> TypeVotes:
    """The votes pickled at ``path`` (our own scratch file), loaded once per process."""
    if path not in _VOTES:
        _VOTES.clear()
        with open(path, "rb") as f:
            _VOTES[path] = pickle.load(f)  # written by the build itself: trusted
    return _VOTES[path]


def resolve_part(spill: str, part: tuple[int, int], votes: str | TypeVotes,
                 base: str = DEFAULT_BASE) -> tuple[bytes, Tally, tuple[tuple[str, float], ...]]:
    """The resolved triples (N-Triples) and tally of one part of a spill file.

    The second pass of a build, split so that worker processes can share it:
    ``spill`` and ``votes`` are files of the build's scratch folder
    (:class:`~kg.build.spill.Spill`, a pickled :class:`~kg.resolve.TypeVotes`),
    ``part`` is one of ``Spill.parts``; in the build's own process ``votes``
    may be the votes themselves (no second copy from disk). Returns the stage
    seconds too.
    """
    clock = StageClock()
    with clock("resolve"):
        results = list(read_part(Path(spill), part))
    if isinstance(votes, str):
        votes = load_votes(votes)
    return resolve_records(results, votes, base, clock)


def resolve_records(results: Sequence[ArticleResult], votes: TypeVotes,
                    base: str = DEFAULT_BASE, clock: StageClock | None = None
                    ) -> tuple[bytes, Tally, tuple[tuple[str, float], ...]]:
    """:func:`resolve_part` on records at hand (what a Dask worker gets)."""
    clock = clock or StageClock()
    lines: list[str] = []
    tally = resolved_triples(results, lines, base, votes, chunk=len(results) or 1, clock=clock)
    with clock("triples"):
        data = "".join(lines).encode("utf-8")
    return data, tally, clock.pairs()


def fill_counts(report: BuildReport, tally: Tally) -> None:
    """Entity, relation and event counts of a resolution into ``report``."""
    report.entities = {by_code(code).name: len(tally.iris[code]) for code in ENTITY_CODES}
    report.relations = tally.relations
    report.events = tally.events
