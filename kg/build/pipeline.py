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
the records are resolved and turned into triples 500 articles at a time,
on the same workers as the first pass (``Runner.resolve_parts``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from rdflib import Graph

from kg.build.heap import NETWORK_HEAP, big_blocks_mapped
from kg.build.incremental import build_into_store
from kg.build.loading import BackgroundLoader
from kg.build.resolution import RESOLVE_CHUNK, Tally, fill_counts, vote
from kg.build.runners import Runner
from kg.build.spill import Spill
from kg.build.stages import StageClock
from kg.ingest.reading import MAX_ARTICLE_CHARS, BuildReport, Counted, batched, iter_articles
from kg.rdf.store import Store
from kg.resolve import DEFAULT_BASE, TypeVotes

__all__ = ["build"]


def build(paths: Sequence[str], *, date: str | None = None, strict: bool = False,
          base: str = DEFAULT_BASE, batch: int = 32, workers: int = 1,
          dask: str | None = None, store: str | None = None,
          max_chars: int = MAX_ARTICLE_CHARS, scratch: str | None = None,
          progress: Callable[[int, int], None] | None = None,
          recognizer: str | None = None) -> tuple[Graph, BuildReport]:
    """Build the graph of ``paths``; returns it with the build report.

    ``workers`` > 1 analyses batches in that many processes, ``dask`` (a
    scheduler address such as ``tcp://10.0.0.5:8786``) on a Dask cluster;
    the graph is the same either way. ``store`` (a folder) makes the build
    incremental: see :mod:`kg.build.incremental`. ``recognizer`` names the
    base recognizer (``model``, ``jieba``; see :mod:`kg.recognize.base`).
    ``progress(done, total)`` is called after each batch; ``total`` is the
    articles read so far, since a stream does not know its length.

    The triples go into an on-disk Oxigraph store in a scratch folder under
    ``scratch`` (default: the system's temp dir), never into Python memory;
    the graph returned is an rdflib view of it, and the folder goes when
    the graph (or the :class:`~kg.api.KnowledgeGraph` made of it) does.
    """
    if store is not None:
        return build_into_store(paths, store, date=date, strict=strict, base=base,
                                batch=batch, workers=workers, dask=dask,
                                max_chars=max_chars, scratch=scratch, progress=progress,
                                recognizer=recognizer)
    started = time.perf_counter()
    report = BuildReport(workers=workers)
    clock = StageClock()
    target = Store.temporary(scratch)
    assert target.path is not None
    spill = Spill(target.path.with_name(target.path.name + ".records"))
    votes = TypeVotes()
    try:
        articles = Counted(iter_articles(paths, date=date, strict=strict, report=report,
                                         max_chars=max_chars, clock=clock))
        merging_only = workers > 1 or dask is not None  # no network runs in this process
        with Runner(base=base, workers=workers, dask=dask, recognizer=recognizer) as runner, \
                BackgroundLoader(target) as loader, \
                (big_blocks_mapped() if merging_only else big_blocks_mapped(*NETWORK_HEAP)):
            for done in runner.batches(batched(articles, batch)):
                clock.add(done.seconds)
                loader.put(done.ntriples)
                with clock("resolve"):
                    vote(votes, done.results)
                    spill.add(done.results)
                report.characters += done.characters
                if progress:
                    progress(spill.count, articles.count)
            # the second pass on the same workers, RESOLVE_CHUNK articles a task
            tally = Tally()
            for data, part, seconds in runner.resolve_parts(spill.path,
                                                            spill.parts(RESOLVE_CHUNK), votes):
                clock.add(seconds)
                loader.put(data)
                tally.merge(part)
        clock.add((("store load", loader.seconds),))
    finally:
        spill.remove()
    report.articles = spill.count
    fill_counts(report, tally)
    report.seconds = time.perf_counter() - started
    report.stages = clock.seconds
    return target.to_rdflib(), report
