"""Keeping the main process's heap from growing while it only merges (glibc's malloc).

With worker processes the main process runs no network: it reads, merges
records and hands N-Triples bytes of a few MB to the store. glibc raises its
``mmap`` threshold each time such a block is freed, so later blocks come from
the heap, between small long-lived objects, and the heap keeps growing
(measured with 2 workers: 342 MB at 1,000 articles, 503 MB at 10,000). A
fixed threshold of 1 MB keeps big blocks out of the heap (same machine, 2
workers: 267 MB at 1,000 articles, 407 MB at 10,000). It is not set
with one worker: there the main process runs the networks, whose large
NumPy temporaries would then be mapped and unmapped for every batch
(25-50 % slower). Elsewhere than glibc this does nothing.

Dask's nanny starts its workers with ``MALLOC_TRIM_THRESHOLD_=65536``
(``distributed.nanny.pre-spawn-environ``), which also freezes glibc's
``mmap`` threshold at 128 kB: every NumPy temporary of the networks is then
mapped and unmapped per batch, and the top of the heap is returned to the
system and faulted back in after every batch. :func:`network_heap` puts
back what glibc's dynamic thresholds reach in a long run (mapped from
32 MB, trimmed beyond 64 MB); the Dask runner calls it once in each worker.

>>> with big_blocks_mapped():
...     pass
>>> network_heap()
"""

from __future__ import annotations

import ctypes
import functools
import platform
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["big_blocks_mapped", "network_heap"]

_M_TRIM_THRESHOLD = -1  # glibc's malloc.h
_M_MMAP_THRESHOLD = -3
_GLIBC_MAX_THRESHOLD = 32 << 20  # where the dynamic threshold stops growing (64-bit)


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # pragma: no cover - a glibc without the usual soname
        return None


@contextmanager
def big_blocks_mapped(threshold: int = 1 << 20) -> Iterator[None]:
    """Within the block, allocations of ``threshold`` bytes or more are mapped, not heap.

    Afterwards the threshold is glibc's largest dynamic one, as a long run
    would have reached anyway.
    """
    libc = _libc()
    if libc is None:
        yield
        return
    libc.mallopt(_M_MMAP_THRESHOLD, threshold)
    try:
        yield
    finally:
        libc.mallopt(_M_MMAP_THRESHOLD, _GLIBC_MAX_THRESHOLD)


@functools.lru_cache(maxsize=1)
def network_heap() -> None:
    """Once per process: glibc's thresholds as a long run of the networks would set them.

    For processes started with fixed thresholds (Dask's workers); where
    glibc's thresholds are still dynamic it changes nothing that a few
    batches would not have changed anyway.
    """
    libc = _libc()
    if libc is None:
        return
    libc.mallopt(_M_MMAP_THRESHOLD, _GLIBC_MAX_THRESHOLD)
    libc.mallopt(_M_TRIM_THRESHOLD, 2 * _GLIBC_MAX_THRESHOLD)
