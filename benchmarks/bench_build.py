"""Build throughput and memory: articles/s, chars/s, peak RSS, time per article.

Each run is a fresh subprocess (``kg.build.pipeline.build`` on a JSONL corpus from
``benchmarks/make_corpus.py``, then ``save`` of graph.ttl, graph.html and
report.json, timed apart), so start-up (loading the recognizer in every
worker) is counted and peak memory is the run's own: the parent's
``ru_maxrss`` after the build and after the outputs, and the largest
child's (workers).

    python benchmarks/make_corpus.py -n 10000 -o /tmp/corpus-10k.jsonl
    python benchmarks/bench_build.py /tmp/corpus-10k.jsonl --sizes 1000 10000 --workers 1 2

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
import json, resource, sys, tempfile, time
from kg.api import KnowledgeGraph
from kg.build.pipeline import build
path, workers, max_chars = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def peak(who=resource.RUSAGE_SELF):
    return round(resource.getrusage(who).ru_maxrss / 1024)
with tempfile.TemporaryDirectory() as out:
    t = time.perf_counter()
    graph, report = build([path], workers=workers, max_chars=max_chars, scratch=out)
    seconds = time.perf_counter() - t
    build_peak = peak()
    t = time.perf_counter()
    with KnowledgeGraph(graph, report) as kg:  # graph.ttl, graph.html, report.json
        kg.save(out)
        triples = len(kg)
    save_seconds = time.perf_counter() - t
print(json.dumps({"articles": report.articles, "chars": report.characters,
                  "triples": triples, "seconds": seconds, "save_seconds": round(save_seconds, 1),
                  "peak_mb": build_peak, "peak_with_save_mb": peak(),
                  "worker_peak_mb": peak(resource.RUSAGE_CHILDREN),
                  "skipped": len(report.skipped)}))
"""


def run(path: Path, workers: int, max_chars: int = 200_000) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(workers), str(max_chars)],
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["workers"] = workers
    result["articles_per_s"] = round(result["articles"] / result["seconds"], 1)
    result["chars_per_s"] = round(result["chars"] / result["seconds"])
    result["ms_per_article"] = round(1000 * result["seconds"] / max(1, result["articles"]), 2)
    return result


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
    p.add_argument("--long", action="store_true", help="also time a 1 MB paragraph")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in args.sizes:
            part = head(args.corpus, n, folder)
            for w in args.workers:
                print(json.dumps({"size": n, **run(part, w)}), flush=True)
        if args.long:
            print(json.dumps({"long_paragraph_chars": 1_000_000,
                              **run(long_paragraph(folder), 1, max_chars=2_000_000)}),
                  flush=True)


if __name__ == "__main__":
    main()
