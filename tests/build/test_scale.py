"""Streaming, parallel, Dask and incremental builds give the one-shot graph."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, SAMPLE
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kg.build.batch import analyze, process_batch
from kg.build.pipeline import build
from kg.build.resolution import assemble
from kg.ingest.reading import BuildReport, read_articles
from kg.rdf.graph import to_graph

COMPOSED = [str(SAMPLE), str(FIXTURES)]


def reference(paths: list[str]):
    """The graph as built before streaming: all articles, then one assemble."""
    articles = read_articles(paths, date=None, strict=False, report=BuildReport())
    return to_graph(assemble(analyze(articles)))


def canonical(g) -> set:
    """Triples with literals compared by value (Oxigraph writes 1.0 as 1)."""
    def term(o):
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            return ("decimal", Decimal(str(o)))
        return o
    return {(s, p, term(o)) for s, p, o in g}


@pytest.fixture(scope="module")
def composed_reference():
    return reference(COMPOSED)


def test_streaming_build_is_the_one_shot_graph_on_the_sample() -> None:
    g, report = build([str(SAMPLE)], batch=3)
    assert report.articles == 8
    assert canonical(g) == canonical(reference([str(SAMPLE)]))  # no blank nodes: same IRIs


def test_streaming_build_is_the_one_shot_graph_on_composed_files(composed_reference) -> None:
    g, report = build(COMPOSED, batch=2)
    assert report.articles == 16 and report.files == 5
    assert canonical(g) == canonical(composed_reference)  # no blank nodes: the same IRIs


def test_batches_keep_no_article_text() -> None:
    articles = read_articles([str(SAMPLE)], date=None, strict=False, report=BuildReport())
    batch = process_batch(articles[:2])
    assert batch.characters == sum(len(a.text) for a in articles[:2]) > 500
    for r in batch.results:
        assert r.article.text == "" and r.article.source_map == ()
        assert all(rel.evidence == "" for rel in r.extraction.relations)
        assert r.mentions  # the cheap records resolution needs stay


def test_two_worker_processes_give_the_same_graph(composed_reference) -> None:
    g, report = build(COMPOSED, workers=2, batch=3)
    assert report.workers == 2
    assert canonical(g) == canonical(composed_reference)


def test_a_dask_cluster_gives_the_same_graph(composed_reference) -> None:
    distributed = pytest.importorskip("distributed")
    # two worker processes, as a user's LocalCluster on a 2-core machine: batches travel
    # pickled and come back in any order, and each worker loads the models itself
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        g, report = build(COMPOSED, dask=cluster.scheduler_address, batch=3)
    assert canonical(g) == canonical(composed_reference)
    assert report.stages["recognize"] > 0 and report.stages["extract"] > 0  # the workers' times


def test_incremental_builds_equal_the_one_shot_build(tmp_path, composed_reference) -> None:
    store = str(tmp_path / "store")
    g1, r1 = build([str(SAMPLE)], store=store)
    assert r1.store["articles_added"] == 8
    g2, r2 = build([str(FIXTURES)], store=store)
    assert r2.store == {"path": store, "articles_before": 8, "articles_added": 8,
                        "articles": 16, "triples": len(g2)}
    # cross-build resolution: the second build re-resolved the first one's mentions
    assert canonical(g2) == canonical(composed_reference)
    g3, r3 = build(COMPOSED, store=store)  # the same build again changes nothing
    assert r3.store["articles_added"] == 0 and r3.duplicates == 16
    assert len(g3) == len(g2) and canonical(g3) == canonical(g2)
    people = {s for s, _, _ in g1 if "/person/" in str(s) and "#" not in str(s)}
    assert people and people <= {s for s, _, _ in g3}  # entities keep their IRIs


def test_a_store_remembers_its_base(tmp_path) -> None:
    from kg.errors import UsageError

    build([str(FIXTURES / "single-article.txt")], store=str(tmp_path / "s"))
    with pytest.raises(UsageError, match="base"):
        build([str(FIXTURES / "single-article.txt")], store=str(tmp_path / "s"),
              base="https://example.org/")


def _records(folder: Path) -> int:
    try:
        with sqlite3.connect(folder / "records.sqlite", timeout=1) as db:
            return db.execute("SELECT count(*) FROM article").fetchone()[0]
    except sqlite3.Error:
        return 0


def _kg(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg.cli", "build", *args, "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def test_a_killed_build_keeps_old_outputs_and_a_rerun_has_no_duplicates(tmp_path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p) > 30]
    corpus = tmp_path / "news.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for i in range(240):  # distinct records: each a paragraph and a counter
            record = {"id": f"n{i}", "date": "2025-02-25",
                      "text": f"{paragraphs[i % len(paragraphs)]}（第{i}条）"}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out_dir, store = tmp_path / "out", tmp_path / "store"
    first = _kg(str(FIXTURES / "single-article.txt"), "-o", str(out_dir), "--no-html")
    assert first.wait(120) == 0
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}

    proc = _kg(str(corpus), "-o", str(out_dir), "--store", str(store), "--no-html")
    deadline = time.monotonic() + 120
    while _records(store) < 32 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the build ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert 0 < _records(store) < 240
    after = {p.name: p.read_bytes() for p in out_dir.iterdir() if not p.name.startswith(".")}
    assert after == before  # the killed build replaced nothing

    rerun = _kg(str(corpus), "-o", str(out_dir), "--store", str(store), "--no-html")
    assert rerun.wait(300) == 0, rerun.stderr.read().decode()
    assert _records(store) == 240
    from kg.api import load

    g = load(out_dir / "graph.ttl").graph
    fresh, _ = build([str(corpus)])
    assert canonical(g) == canonical(fresh)


# -------------------------------------------------------------- bounded memory


def test_a_build_keeps_its_graph_on_disk_and_removes_it_on_close(tmp_path) -> None:
    import kg

    g = kg.build([str(SAMPLE)], scratch=tmp_path)
    (folder,) = tmp_path.iterdir()  # the scratch store: RocksDB files, not Python objects
    assert folder.name.startswith(".kg-scratch-") and any(folder.iterdir())
    assert len(g) == len(reference([str(SAMPLE)]))
    assert {e.label for e in g.entities("Person")} >= {"习近平", "普京"}
    g.close()
    assert not folder.exists()


def test_the_cli_leaves_no_scratch_and_clears_what_a_killed_build_left(tmp_path) -> None:
    out = tmp_path / "out"
    stale = out / ".kg-scratch-999999999-abcd"  # no such process
    stale.mkdir(parents=True)
    (stale / "CURRENT").write_text("x")
    proc = _kg(str(FIXTURES / "single-article.txt"), "-o", str(out), "--no-html")
    assert proc.wait(120) == 0, proc.stderr.read().decode()
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl", "report.json"]


def test_incremental_outputs_come_from_a_scratch_copy_not_memory(tmp_path) -> None:
    g, report = build([str(SAMPLE)], store=str(tmp_path / "store"), scratch=str(tmp_path / "s"))
    (copy,) = (tmp_path / "s").iterdir()
    assert len(g) == report.store["triples"] == len(reference([str(SAMPLE)]))
    assert canonical(g) == canonical(reference([str(SAMPLE)]))
    del g
    import gc

    gc.collect()
    assert not copy.exists()  # the scratch copy went with its graph


def test_resolving_a_chunk_at_a_time_gives_the_one_shot_graph(composed_reference) -> None:
    from kg.build.batch import text_triples
    from kg.build.resolution import resolved_triples

    articles = read_articles(COMPOSED, date=None, strict=False, report=BuildReport())
    results = analyze(articles)
    lines = text_triples(results)
    tally = resolved_triples(iter(results), lines, chunk=2)  # 8 chunks; votes counted first
    assert set(Graph().parse(data="".join(lines), format="nt")) == set(composed_reference)
    assert tally.articles == 16
    everything = assemble(results)
    # one node per real event: reports of the same event (in two articles) count once
    assert tally.events == len({everything.event_node(e) for e in everything.events}) \
        < len(everything.events)
    assert sum(map(len, tally.iris.values())) == len(everything.entities)


def test_the_second_pass_in_parts_gives_the_serial_triples_and_tally(tmp_path) -> None:
    """What workers return for parts of the spill adds up to the serial second pass."""
    import pickle

    from kg.build.resolution import resolve_part, resolved_triples, vote
    from kg.build.spill import Spill
    from kg.resolve import TypeVotes

    articles = read_articles(COMPOSED, date=None, strict=False, report=BuildReport())
    results = analyze(articles)
    spill = Spill(tmp_path / "records")
    for i in range(0, len(results), 3):
        spill.add(results[i:i + 3])
    votes = vote(TypeVotes(), results)
    (tmp_path / "votes").write_bytes(pickle.dumps(votes))
    serial: list[str] = []
    whole = resolved_triples(iter(results), serial, votes=votes)
    parts = spill.parts(5)  # two adds (6 articles) a part, the last one smaller
    assert [n for _, n in parts] == [2, 2, 2]
    lines, tally = [], None
    for part in reversed(parts):  # the order of the parts does not matter
        data, got, seconds = resolve_part(str(spill.path), part, str(tmp_path / "votes"))
        lines.append(data.decode())
        tally = got if tally is None else (tally.merge(got) or tally)
        assert dict(seconds).keys() >= {"resolve", "triples"}
    assert set("".join(lines).splitlines()) == set("".join(serial).splitlines())
    assert (tally.articles, tally.relations, tally.events, tally.iris) == \
        (whole.articles, whole.relations, whole.events, whole.iris)
    spill.remove()
