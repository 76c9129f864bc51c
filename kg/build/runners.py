"""Where batches are analysed: here, in worker processes, or on a Dask cluster.

:func:`run_batches` takes an iterator of article batches and yields one
:class:`~kg.build.batch.Batch` per batch, **in input order**, whichever runner
does the work, so every runner gives the same graph. At most a few batches
per worker are in flight at once: the reader never runs ahead of the workers
by more than that, which keeps a streaming build's memory bounded.

The work, :func:`kg.build.batch.process_batch`, is a pure function of its
articles; the workers load the recognizer once each (a few seconds) and
keep it for every batch they get.

>>> from kg.model import Article
>>> [b.characters for b in run_batches(iter([[Article("a", "正文。")]]))]
[3]
"""

from __future__ import annotations

import collections
import multiprocessing
import pickle
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from kg import registry
from kg.build.batch import Batch, process_batch
from kg.build.heap import network_heap
from kg.build.resolution import Tally, resolve_part, resolve_records
from kg.build.spill import read_part
from kg.errors import UsageError
from kg.model import Article
from kg.resolve import DEFAULT_BASE, TypeVotes

IN_FLIGHT_PER_WORKER = 2
"""Batches submitted ahead per worker: one running, one queued."""


def run_batches(batches: Iterable[Sequence[Article]], *, base: str = DEFAULT_BASE,
                workers: int = 1, dask: Any = None,
                recognizer: str | None = None) -> Iterator[Batch]:
    """Process ``batches`` serially, in ``workers`` processes, or on Dask.

    ``dask`` is a scheduler address (``tcp://host:8786``) or a
    ``distributed.Client``; it wins over ``workers``.
    """
    with Runner(base=base, workers=workers, dask=dask, recognizer=recognizer) as runner:
        yield from runner.batches(batches)


class Runner:
    """Runs a build's work here, in worker processes or on Dask, and keeps them for both passes.

    :meth:`batches` analyses article batches; :meth:`resolve_parts` runs the
    second pass (:func:`kg.build.resolution.resolve_part`) on the same
    workers, so that the main process only loads what they return.
    """

    def __init__(self, *, base: str = DEFAULT_BASE, workers: int = 1, dask: Any = None,
                 recognizer: str | None = None) -> None:
        if workers < 1:
            raise UsageError(f"--workers must be at least 1 (got {workers})")
        self.base, self.workers, self.dask, self.recognizer = base, workers, dask, recognizer
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None
        self._own_client = False

    def __enter__(self) -> Runner:
        if self.dask is not None:
            self._client, self._own_client = _dask_client(self.dask)
            self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        elif self.workers > 1:
            # spawn, not fork: the parent may hold threads (progress bar, jieba's
            # lock), and a forked child would inherit them mid-state.
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_install, initargs=(_registrations(),))
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if self._pool is not None:
            if exc_type is None:
                self._pool.shutdown()
            else:
                self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self._client is not None and self._own_client:
            self._client.close()
        self._client = None

    def batches(self, batches: Iterable[Sequence[Article]]) -> Iterator[Batch]:
        """One :class:`Batch` per batch of articles, in input order."""
        base, recognizer = self.base, self.recognizer
        if self._client is not None:
            client, saved = self._client, _registrations()

            def on_dask(b: Sequence[Article]) -> Any:
                return client.submit(_process_with, saved, list(b), base, recognizer, pure=False)

            yield from _ordered(on_dask, batches, self.workers * IN_FLIGHT_PER_WORKER + 1)
        elif self._pool is not None:
            pool = self._pool

            def in_pool(b: Sequence[Article]) -> Future:
                return pool.submit(process_batch, list(b), base, recognizer)

            yield from _ordered(in_pool, batches, self.workers * IN_FLIGHT_PER_WORKER)
        else:
            for b in batches:
                yield process_batch(b, base, recognizer)

    def resolve_parts(self, spill: Path, parts: Iterable[tuple[int, int]], votes: TypeVotes
                      ) -> Iterator[tuple[bytes, Tally, tuple]]:
        """:func:`~kg.build.resolution.resolve_part` of each part of ``spill``, in order.

        Worker processes read the spill and the votes (pickled once beside
        it) from disk; Dask workers may be on other machines, so
        they get each part's records and the votes (scattered once) instead.
        """
        base = self.base
        if self._client is not None:
            client = self._client
            shared = client.scatter(votes, broadcast=True)

            def on_dask(part: tuple[int, int]) -> Any:
                return client.submit(_resolve_with, list(read_part(spill, part)), shared, base,
                                     pure=False)

            yield from _ordered(on_dask, parts, self.workers * IN_FLIGHT_PER_WORKER + 1)
            return
        if self._pool is None:  # here: the votes at hand, not a second copy from disk
            for part in parts:
                yield resolve_part(str(spill), part, votes, base)
            return
        path = spill.with_name(spill.name + ".votes")
        with path.open("wb") as f:
            pickle.dump(votes, f, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            pool = self._pool

            def in_pool(part: tuple[int, int]) -> Future:
                return pool.submit(resolve_part, str(spill), part, str(path), base)

            yield from _ordered(in_pool, parts, self.workers * IN_FLIGHT_PER_WORKER)
        finally:
            path.unlink(missing_ok=True)


def _dask_client(dask: Any) -> tuple[Any, bool]:
    """A ``distributed.Client`` for ``dask`` (an address or a client) and whether it is ours."""
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - depends on the extra
        raise UsageError("--dask needs dask.distributed: pip install 'kg[dask]'") from None
    if isinstance(dask, Client):
        return dask, False
    try:
        return Client(dask, timeout=30), True
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {dask}: {exc}") from exc


def _ordered(submit: Any, tasks: Iterable[Any], ahead: int) -> Iterator[Any]:
    """Submit up to ``ahead`` tasks at a time and yield their results in order."""
    pending: collections.deque = collections.deque()
    for task in tasks:
        pending.append(submit(task))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _registrations() -> bytes:
    """This process's registrations, pickled for the workers (a clear error if they cannot be)."""
    try:
        return pickle.dumps(registry.state())
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        raise UsageError("a registered recognizer step, extractor or type cannot be sent to "
                         f"worker processes ({exc}): define it at the top level of a module, "
                         "or build with one worker") from None


def _install(saved: bytes) -> None:
    registry.install(pickle.loads(saved))  # our own bytes, made by _registrations


def _process_with(saved: bytes, articles: list[Article], base: str,
                  recognizer: str | None) -> Batch:
    """:func:`process_batch` on a Dask worker, with the main process's registrations."""
    network_heap()
    _install(saved)
    return process_batch(articles, base, recognizer)


def _resolve_with(records: list, votes: TypeVotes, base: str) -> tuple[bytes, Tally, tuple]:
    """:func:`resolve_records` on a Dask worker (its heap set as for :func:`_process_with`)."""
    network_heap()
    return resolve_records(records, votes, base)
