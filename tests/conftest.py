"""Shared fixtures: the sample page, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "gongren-ribao-2025-02-25.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def sample_graph():
    """The knowledge graph of the bundled sample page."""
    import kg

    return kg.build([str(SAMPLE)])


@pytest.fixture(scope="session")
def sample_results():
    """The per-article pipeline results of the sample page."""
    from kg.build.batch import analyze
    from kg.ingest.files import iter_documents
    from kg.ingest.layout import split_articles

    (doc,) = list(iter_documents([str(SAMPLE)]))
    return analyze(split_articles(doc))
