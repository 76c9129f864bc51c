"""Write the stored graphs that tests/test_golden_graphs.py compares builds against.

    .venv/bin/python scripts/make_graph_fixtures.py [--out tests/golden]

Each page set is built with ``kg.build`` and written as sorted, gzipped
N-Triples. Run it only when a change is *meant* to change the graph (a new
model, a new rule) and say so in the commit; a refactoring must leave these
files untouched.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout

import kg  # noqa: E402

PAGES = {
    "sample": ["examples/gongren-ribao-2025-02-25.txt"],
    "page-1": ["benchmarks/data/page-1.txt"],
    "page-2": ["benchmarks/data/page-2.txt"],
    "page-3": ["benchmarks/data/page-3.txt"],
    "fixtures": ["tests/fixtures/page-two-datelines.txt", "tests/fixtures/records.jsonl",
                 "tests/fixtures/single-article.txt", "tests/fixtures/washington.txt"],
}
DATE = "2025-02-25"


def ntriples(files: list[str]) -> bytes:
    """The graph of ``files`` (paths relative to the checkout) as sorted N-Triples."""
    here = Path.cwd()
    os.chdir(ROOT)  # relative paths: the graph names its source files, wherever the checkout is
    try:
        g = kg.build(files, date=DATE)
    finally:
        os.chdir(here)
    lines = sorted({ln for ln in g.graph.serialize(format="nt").splitlines() if ln.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "golden")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, files in PAGES.items():
        data = ntriples(files)
        (args.out / f"{name}.nt.gz").write_bytes(gzip.compress(data, mtime=0))
        count = data.count(b"\n")
        print(f"{name}: {count} triples")


if __name__ == "__main__":
    main()
