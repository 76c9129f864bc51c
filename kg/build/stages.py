"""Where a build's time goes, stage by stage.

A :class:`StageClock` adds up wall time per stage. Stages nest: time spent
in an inner stage (the store loading triples a resolution made) counts for
the inner one only, so the stages of one process add up to at most its
wall time — except ``store load``: a build's text triples are loaded in a
thread beside the main one (:mod:`kg.build.loading`), so that time overlaps
the others. The stages that work on one article (recognize, extract and
their text triples) run where the batch runs; a worker returns its times
with the batch (:attr:`kg.build.batch.Batch.seconds`) and the build adds
them up, so with several workers those figures are summed over workers.

>>> clock = StageClock()
>>> with clock("resolve"):
...     with clock("store load"):
...         time.sleep(0.02)
>>> clock.seconds["store load"] >= 0.02 > clock.seconds["resolve"]
True
>>> clock.add((("recognize", 1.5),)); clock.seconds["recognize"]
1.5
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

__all__ = ["STAGES", "StageClock"]

STAGES = ("read", "layout", "recognize", "extract", "resolve", "triples", "store load",
          "write", "HTML")
"""The stages of a build, in pipeline order (the rows of bench_build's table).

``read``: files decoded and split into documents; ``layout``: documents laid
out into articles; ``recognize``: the NER model; ``extract``: relations and
events (the event model included); ``resolve``: type votes, entity and event
resolution; ``triples``: RDF terms made and formatted as N-Triples (text
triples in the workers, resolved triples in the main process); ``store
load``: Oxigraph parsing and indexing them; ``write``: graph.ttl (and other
formats) serialized; ``HTML``: the page's view read back and rendered.
"""


class StageClock:
    """Wall seconds per stage; ``with clock(stage):`` times a block."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self._stack: list[str] = []
        self._since = 0.0

    def _switch(self, now: float) -> None:
        if self._stack:
            self.seconds[self._stack[-1]] += now - self._since
        self._since = now

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        self._switch(time.perf_counter())
        self._stack.append(stage)
        try:
            yield
        finally:
            self._switch(time.perf_counter())
            self._stack.pop()

    def add(self, pairs: Iterable[tuple[str, float]]) -> None:
        """Add ``(stage, seconds)`` pairs measured elsewhere (a worker's)."""
        for stage, seconds in pairs:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    def pairs(self) -> tuple[tuple[str, float], ...]:
        """The stages that took any time, as ``(stage, seconds)`` pairs."""
        return tuple((k, v) for k, v in self.seconds.items() if v)

    def rounded(self) -> dict[str, float]:
        """Every stage's seconds, to the millisecond (for report.json)."""
        return {k: round(v, 3) for k, v in self.seconds.items()}
