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
    from kg.ingest import iter_documents
    from kg.layout import split_articles
    from kg.pipeline import analyze

    (doc,) = list(iter_documents([str(SAMPLE)]))
    return analyze(split_articles(doc))
