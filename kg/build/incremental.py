"""Incremental builds: ``kg build --store DIR`` adds to a persistent store.

The folder holds two things, both written batch by batch in transactions:

* ``records.sqlite`` — one row per article ever analysed: its id, the sha1
  of its text and its *text-free* results (mentions, relations, events,
  layout facts; JSON, no text). An article whose id and text hash are
  already there is not analysed again.
* ``oxigraph/`` — an Oxigraph store (:class:`kg.rdf.store.Store`). Its default
  graph holds the text triples of every article (mentions, evidence: they
  depend on one article only and never change); the named graph
  :data:`RESOLVED` holds the triples that depend on resolution (entities,
  labels, aliases, memberships, statements, events, articles).

At the end of every build the resolved graph is rebuilt from *all* records,
so resolution is global across builds: a place first seen as 大连 merges
into 大连市 once a later build brings 大连市, and type votes count every
mention ever seen. Building A then B gives the same graph as building A and
B at once (tests/test_scale.py checks it). What is *not* redone is the
per-article analysis of articles already stored: a new recognizer or
lexicon applies to new articles only, so rebuild the store (delete the
folder) after upgrading kg. An entity's IRI is derived from its type and
canonical name, so it is the same in every run as long as its canonical
name is; when a later build changes it (大连 → 大连市) the old IRI goes
away and the new one carries all mentions.

A build killed at any point leaves a consistent store: text triples are
added before the records of their batch are committed, and adding a triple
twice is a no-op, so a re-run redoes at most the batches that were in
flight and then rebuilds the resolved graph. Outputs are written only
after that (atomically), so the previous ones stay intact until then.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.build.resolution import ArticleResult, fill_counts, resolved_triples, vote
from kg.build.runners import run_batches
from kg.build.stages import StageClock
from kg.errors import GraphError, UsageError
from kg.extract import Extraction
from kg.ingest.reading import MAX_ARTICLE_CHARS, BuildReport, Counted, batched, iter_articles
from kg.model import Article, Credit, Event, Mention, Part, Relation
from kg.rdf.store import Store
from kg.rdf.store_sink import StoreSink
from kg.resolve import TypeVotes

RESOLVED = "urn:x-kg:graph:resolved"
"""The named graph of the triples that depend on resolution."""

_RECORD_TYPES = {c.__name__: c for c in (ArticleResult, Article, Part, Credit, Mention,
                                          Relation, Event, Extraction)}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS article (id TEXT PRIMARY KEY, hash TEXT NOT NULL,
                                    record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS setting (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def encode(value: Any) -> Any:
    """A record as JSON-ready data (dataclasses tagged with their type).

    >>> encode(Mention(0, 2, "大连", "LOC"))["@"]
    'Mention'
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {"@": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = encode(getattr(value, f.name))
        return out
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    return value


def decode(data: Any) -> Any:
    """The record :func:`encode` made (lists become tuples, as in the records).

    >>> m = Mention(0, 2, "大连", "LOC", score=0.25, article_id="a1")
    >>> decode(json.loads(json.dumps(encode(m)))) == m
    True
    """
    if isinstance(data, dict):
        cls = _RECORD_TYPES[data["@"]]
        return cls(**{k: decode(v) for k, v in data.items() if k != "@"})
    if isinstance(data, list):
        return tuple(decode(v) for v in data)
    return data


class Records:
    """The text-free results of every article in a store, in SQLite."""

    def __init__(self, path: str | Path) -> None:
        self.db = sqlite3.connect(str(path))
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def hashes(self) -> dict[str, str]:
        """Article id → sha1 of its text, for every stored article."""
        return dict(self.db.execute("SELECT id, hash FROM article"))

    def setting(self, name: str, value: str) -> str:
        """The stored value of ``name``, storing ``value`` when there is none."""
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO setting VALUES (?, ?)", (name, value))
        (stored,) = self.db.execute("SELECT value FROM setting WHERE name = ?", (name,)).fetchone()
        return stored

    def put(self, results: Sequence[ArticleResult], hashes: dict[str, str]) -> None:
        """Store results (one transaction)."""
        rows = [(r.article.id, hashes[r.article.id],
                 json.dumps(encode(r), ensure_ascii=False, separators=(",", ":")))
                for r in results]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO article VALUES (?, ?, ?)", rows)

    def __iter__(self) -> Iterator[ArticleResult]:
        for (record,) in self.db.execute("SELECT record FROM article ORDER BY rowid"):
            yield decode(json.loads(record))

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM article").fetchone()[0]


def build_into_store(paths: Sequence[str], folder: str, *, date: str | None = None,
                     strict: bool = False, base: str, batch: int = 32, workers: int = 1,
                     dask: Any = None, max_chars: int = MAX_ARTICLE_CHARS,
                     scratch: str | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     recognizer: str | None = None) -> tuple[Graph, BuildReport]:
    """Add the new articles of ``paths`` to the store in ``folder``; the whole store's graph.

    The graph returned is a copy of the store's two graphs in one scratch
    store under ``scratch`` (on disk: memory does not grow with the store).
    """
    started = time.perf_counter()
    report = BuildReport(workers=workers)
    clock = StageClock()
    root = Path(folder)
    if root.exists() and not root.is_dir():
        raise UsageError(f"--store {folder}: not a folder")
    root.mkdir(parents=True, exist_ok=True)
    records = Records(root / "records.sqlite")
    try:
        stored_base = records.setting("base", base)
        if stored_base != base:
            raise UsageError(f"--store {folder} was built with base {stored_base}; "
                             f"use that base or another store (got {base})")
        with Store(root / "oxigraph") as store:
            seen = records.hashes()
            before = len(seen)
            articles = Counted(iter_articles(paths, date=date, strict=strict, report=report,
                                             seen=seen, max_chars=max_chars, clock=clock))
            for done in run_batches(batched(articles, batch), base=base, workers=workers,
                                    dask=dask, recognizer=recognizer):
                clock.add(done.seconds)
                with clock("store load"):
                    store.add_ntriples(done.ntriples)  # before the records: a kill redoes it
                with clock("resolve"):
                    records.put(done.results, seen)
                report.characters += done.characters
                report.articles += len(done.results)
                if progress:
                    progress(report.articles, articles.count)
            tally = _rebuild_resolved(store, records, base, clock)
            graph = _union(store, scratch)
            report.store = {"path": str(root), "articles_before": before,
                            "articles_added": report.articles,
                            "articles": tally.articles, "triples": len(graph)}
    finally:
        records.close()
    fill_counts(report, tally)
    report.seconds = time.perf_counter() - started
    report.stages = clock.seconds
    return graph, report


def _rebuild_resolved(store: Any, records: Records, base: str, clock: StageClock):
    import pyoxigraph as ox

    name = ox.NamedNode(RESOLVED)
    try:
        store.ox.clear_graph(name)
    except (OSError, ValueError) as exc:  # pragma: no cover - storage failure
        raise GraphError(f"cannot update the store: {exc}") from exc
    with clock("resolve"):
        votes = vote(TypeVotes(), records)  # pass one over the records; resolved_triples: two
    with StoreSink(store, graph=RESOLVED, clock=clock) as sink:
        return resolved_triples(records, sink, base, votes, clock=clock)


def _union(store: Store, scratch: str | None) -> Graph:
    """The union of the store's graphs in a scratch store, as an rdflib graph.

    The copy goes through an N-Triples file in the scratch folder, so it
    never holds the graph in memory.
    """
    import pyoxigraph as ox

    out = Store.temporary(scratch)
    assert out.path is not None
    dump = out.path.parent / f"{out.path.name}.nt"
    try:
        with dump.open("wb") as f:
            for name in (ox.DefaultGraph(), ox.NamedNode(RESOLVED)):
                store.ox.dump(f, ox.RdfFormat.N_TRIPLES, from_graph=name)
        out.ox.bulk_load(path=str(dump), format=ox.RdfFormat.N_TRIPLES)
    except OSError as exc:  # pragma: no cover - a full disk
        raise GraphError(f"cannot copy the store into {out.path}: {exc}") from exc
    finally:
        dump.unlink(missing_ok=True)
    return out.to_rdflib()
