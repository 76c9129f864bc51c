"""Build throughput and memory: articles/s, chars/s, peak RSS, time per article.

Each run is a fresh subprocess (``kg.build.pipeline.build`` on a JSONL corpus from
``benchmarks/make_corpus.py``, then ``save`` of graph.ttl, graph.html and
report.json, timed apart), so start-up (loading the recognizer in every
worker) is counted and peak memory is the run's own: the parent's
``ru_maxrss`` after the build and after the outputs, and the largest
child's (workers).

    python benchmarks/make_corpus.py -n 10000 -o /tmp/corpus-10k.jsonl
    python benchmarks/bench_build.py /tmp/corpus-10k.jsonl --sizes 1000 10000 --workers 1 2 \
        [--dask 2]

It ends with a per-stage table (read, layout, recognize, extract, resolve,
triples, store load, write, HTML: the build report's ``stages``) and the
speed-up of each run over one worker on the same articles, with whether the
graphs are the same (an order-free digest of their N-Triples lines; the graph
names its input file, which lives in this run's temp folder, so digests
compare within one run of this script only).

A 1 MB paragraph (one sentence after another with no line break) is timed
too, to show that no stage goes quadratic on long lines: pass ``--long``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import hashlib, json, os, resource, sys, tempfile, time
from kg.api import KnowledgeGraph
from kg.build.pipeline import build
from kg.rdf.bridge import ox_of
path, workers, max_chars, dask = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def peak(who=resource.RUSAGE_SELF):
    return round(resource.getrusage(who).ru_maxrss / 1024)
def fingerprint(graph, folder):
    # order-free digest of the N-Triples lines (kg's graphs have no blank nodes)
    nt = os.path.join(folder, "fingerprint.nt")
    ox_of(graph).dump(nt, format=__import__("pyoxigraph").RdfFormat.N_TRIPLES,
                      from_graph=__import__("pyoxigraph").DefaultGraph())
    total = 0
    with open(nt, "rb") as f:
        for line in f:
            total += int.from_bytes(hashlib.blake2b(line.strip(), digest_size=8).digest(), "big")
    os.remove(nt)
    return format(total % (1 << 64), "016x")
cluster = None
if dask != "-":
    from distributed import LocalCluster
    cluster = LocalCluster(n_workers=int(dask), threads_per_worker=1, processes=True,
                           dashboard_address=None)
with tempfile.TemporaryDirectory() as out:
    t = time.perf_counter()
    graph, report = build([path], workers=workers, max_chars=max_chars, scratch=out,
                          dask=cluster.scheduler_address if cluster else None)
    seconds = time.perf_counter() - t
    build_peak = peak()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    with KnowledgeGraph(graph, report) as kg:  # graph.ttl, graph.html, report.json
        kg.save(out)
        triples = len(kg)
        save_seconds = time.perf_counter() - t
        digest = fingerprint(graph, out)
if cluster is not None:
    cluster.close()
print(json.dumps({"articles": report.articles, "chars": report.characters,
                  "triples": triples, "seconds": seconds, "save_seconds": round(save_seconds, 1),
                  "main_cpu_seconds": round(cpu.ru_utime + cpu.ru_stime, 1),
                  "peak_mb": build_peak, "peak_with_save_mb": peak(),
                  "worker_peak_mb": peak(resource.RUSAGE_CHILDREN),
                  "skipped": len(report.skipped), "stages": report.stages,
                  "graph": digest}))
"""

STAGE_NOTE = """\
Stages: wall seconds. read/layout/resolve/store load/write/HTML run in the main
process; recognize/extract/triples run where a batch runs, so with workers
they are summed over the workers ("triples" counts both the workers' text
triples and the main process's resolved triples)."""


def run(path: Path, workers: int, max_chars: int = 200_000, dask: int = 0) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(workers), str(max_chars),
                          str(dask) if dask else "-"],
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["workers"] = f"dask {dask}" if dask else workers
    result["articles_per_s"] = round(result["articles"] / result["seconds"], 1)
    result["chars_per_s"] = round(result["chars"] / result["seconds"])
    result["ms_per_article"] = round(1000 * result["seconds"] / max(1, result["articles"]), 2)
    return result


def stage_table(rows: list[dict]) -> str:
    """Per-stage seconds (and ms per article) of each run, as a Markdown table."""
    from kg.build.stages import STAGES

    head = "| stage | " + " | ".join(f"{r['size']} × {r['workers']}" for r in rows) + " |"
    lines = [head, "|---" * (len(rows) + 1) + "|"]
    for stage in STAGES:
        cells = []
        for r in rows:
            sec = r["stages"].get(stage, 0.0)
            cells.append(f"{sec:.1f} s ({1000 * sec / max(1, r['articles']):.1f} ms/art.)")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    lines.append("| **build (wall)** | " + " | ".join(
        f"{r['seconds']:.1f} s ({r['articles_per_s']} art./s)" for r in rows) + " |")
    lines.append("| save (wall) | " + " | ".join(f"{r['save_seconds']:.1f} s" for r in rows)
                 + " |")
    lines.append("| peak MB (build / with save) | " + " | ".join(
        f"{r['peak_mb']} / {r['peak_with_save_mb']}" for r in rows) + " |")
    return "\n".join(lines)


def speedups(rows: list[dict]) -> list[str]:
    """Articles/s of each run against the one-worker run of the same size, same graph or not."""
    out = []
    for r in rows:
        ref = next((x for x in rows if x["size"] == r["size"] and x["workers"] == 1), None)
        if ref is None or r is ref:
            continue
        same = "same graph" if r["graph"] == ref["graph"] else "GRAPH DIFFERS"
        out.append(f"{r['size']} articles, {r['workers']} vs 1 worker: "
                   f"{ref['seconds'] / r['seconds']:.2f}x ({same})")
    return out


def head(path: Path, n: int, folder: Path) -> Path:
    target = folder / f"{path.stem}-{n}.jsonl"
    with path.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as out:
        for i, line in enumerate(src):
            if i >= n:
                break
            out.write(line)
    return target


def long_paragraph(folder: Path, chars: int = 1_000_000) -> Path:
    sentence = "新华社北京2月24日电 国家主席习近平同俄罗斯总统普京通电话，双方在大连市举行会谈。"
    target = folder / "long.txt"
    target.write_text("一段很长的文字\n\n" + sentence * (chars // len(sentence)), encoding="utf-8")
    return target


def main() -> None:
    p = argparse.ArgumentParser(description="kg build throughput")
    p.add_argument("corpus", type=Path, help="JSONL corpus (benchmarks/make_corpus.py)")
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    p.add_argument("--dask", type=int, nargs="*", default=[],
                   help="also build on a Dask LocalCluster of this many worker processes")
    p.add_argument("--long", action="store_true", help="also time a 1 MB paragraph")
    args = p.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in args.sizes:
            part = head(args.corpus, n, folder)
            for w in args.workers:
                rows.append({"size": n, **run(part, w)})
                print(json.dumps(rows[-1]), flush=True)
            for d in args.dask:
                rows.append({"size": n, **run(part, 1, dask=d)})
                print(json.dumps(rows[-1]), flush=True)
        if args.long:
            print(json.dumps({"long_paragraph_chars": 1_000_000,
                              **run(long_paragraph(folder), 1, max_chars=2_000_000)}),
                  flush=True)
    print()
    print(stage_table(rows))
    print(STAGE_NOTE)
    for line in speedups(rows):
        print(line)


if __name__ == "__main__":
    main()
