"""Where batches are analysed: here, in worker processes, or on a Dask cluster.

:func:`run_batches` takes an iterator of article batches and yields one
:class:`~kg.build.pipeline.Batch` per batch, **in input order**, whichever runner
does the work, so every runner gives the same graph. At most a few batches
per worker are in flight at once: the reader never runs ahead of the workers
by more than that, which keeps a streaming build's memory bounded.

The work, :func:`kg.build.pipeline.process_batch`, is a pure function of its
articles; the workers load the recognizer once each (a few seconds) and
keep it for every batch they get.

>>> from kg.model import Article
>>> [b.characters for b in run_batches(iter([[Article("a", "正文。")]]))]
[3]
"""

from __future__ import annotations

import collections
import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from kg.build.pipeline import Batch, process_batch
from kg.errors import UsageError
from kg.model import Article
from kg.resolve import DEFAULT_BASE

IN_FLIGHT_PER_WORKER = 2
"""Batches submitted ahead per worker: one running, one queued."""


def run_batches(batches: Iterable[Sequence[Article]], *, base: str = DEFAULT_BASE,
                workers: int = 1, dask: Any = None) -> Iterator[Batch]:
    """Process ``batches`` serially, in ``workers`` processes, or on Dask.

    ``dask`` is a scheduler address (``tcp://host:8786``) or a
    ``distributed.Client``; it wins over ``workers``.
    """
    if workers < 1:
        raise UsageError(f"--workers must be at least 1 (got {workers})")
    if dask is not None:
        yield from _on_dask(batches, base, dask)
    elif workers == 1:
        for b in batches:
            yield process_batch(b, base)
    else:
        yield from _in_processes(batches, base, workers)


def _ordered(submit: Any, batches: Iterable[Sequence[Article]], ahead: int) -> Iterator[Any]:
    """Submit up to ``ahead`` batches at a time and yield their results in order."""
    pending: collections.deque = collections.deque()
    for b in batches:
        pending.append(submit(b))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _in_processes(batches: Iterable[Sequence[Article]], base: str,
                  workers: int) -> Iterator[Batch]:
    # spawn, not fork: the parent may hold threads (progress bar, jieba's
    # lock), and a forked child would inherit them mid-state.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        def submit(b: Sequence[Article]) -> Future:
            return pool.submit(process_batch, list(b), base)

        try:
            yield from _ordered(submit, batches, workers * IN_FLIGHT_PER_WORKER)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _on_dask(batches: Iterable[Sequence[Article]], base: str, dask: Any) -> Iterator[Batch]:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - depends on the extra
        raise UsageError("--dask needs dask.distributed: pip install 'kg[dask]'") from None
    own = not isinstance(dask, Client)
    try:
        client = Client(dask, timeout=30) if own else dask
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {dask}: {exc}") from exc
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))

        def submit(b: Sequence[Article]) -> Any:
            return client.submit(process_batch, list(b), base, pure=False)

        yield from _ordered(submit, batches, workers * IN_FLIGHT_PER_WORKER + 1)
    finally:
        if own:
            client.close()
