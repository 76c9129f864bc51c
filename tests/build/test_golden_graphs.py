"""The graphs of the sample page and the composed pages stay what they were.

The stored graphs (tests/golden/*.nt.gz) were written by
scripts/make_graph_fixtures.py before the package was reorganised; a
refactoring must reproduce them exactly (as isomorphic graphs). A change that
is meant to change the graph regenerates them in the same commit.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from make_graph_fixtures import PAGES, ntriples  # scripts/ is on pytest's pythonpath
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_graph_is_isomorphic_to_stored(name: str) -> None:
    stored = Graph().parse(data=gzip.decompress(
        (ROOT / "tests" / "golden" / f"{name}.nt.gz").read_bytes()).decode(),
        format="nt")
    built = Graph().parse(data=ntriples(PAGES[name]).decode(), format="nt")
    iso_stored, iso_built = to_isomorphic(stored), to_isomorphic(built)
    if iso_stored != iso_built:
        _, only_stored, only_built = graph_diff(iso_stored, iso_built)
        missing = sorted(" ".join(n.n3() for n in t) for t in only_stored)[:5]
        extra = sorted(" ".join(n.n3() for n in t) for t in only_built)[:5]
        pytest.fail(f"{name}: {len(only_stored)} triples lost, {len(only_built)} new; "
                    f"lost e.g. {missing}; new e.g. {extra}")
