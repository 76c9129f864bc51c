"""glibc's malloc thresholds for a build: flat memory without mapping every NumPy temporary.

glibc maps blocks above its ``mmap`` threshold and returns the heap's top to
the system above its trim threshold. Both start at 128 kB and grow each time
a mapped block is freed (up to 32 MB and 64 MB). A build frees blocks of a
few MB all the time (N-Triples bytes for the store), so the threshold soon
lets them into the heap, between small long-lived objects, and the heap keeps
growing. Two settings, each measured on the 10,000-article benchmark:

* :func:`big_blocks_mapped` (the default 1 MB) while the process only
  merges (worker processes run the networks): 2 workers, main process peak
  342 → 267 MB at 1,000 articles, 503 → 407 MB at 10,000.
* :data:`NETWORK_HEAP` (mapped from 8 MB, trimmed beyond 64 MB) where the
  networks run: one worker, peak 525 → 535 MB at 1,000 articles but
  622 → 576 MB at 10,000 (+18 % → +8 %), at the same speed. A 1 MB
  threshold there maps the networks' temporaries anew for every batch
  (25-50 % slower).

Dask's nanny starts its workers with ``MALLOC_TRIM_THRESHOLD_=65536``
(``distributed.nanny.pre-spawn-environ``), which also freezes the ``mmap``
threshold at 128 kB: :func:`network_heap` sets :data:`NETWORK_HEAP` there
before each batch (2 Dask workers, 1,000 articles: 23.5 → 30.9 articles/s).
Elsewhere than glibc all this does nothing.

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

__all__ = ["NETWORK_HEAP", "big_blocks_mapped", "network_heap"]

_M_TRIM_THRESHOLD = -1  # glibc's malloc.h
_M_MMAP_THRESHOLD = -3
_GLIBC_MAX_THRESHOLD = 32 << 20  # where the dynamic thresholds stop growing (64-bit)

NETWORK_HEAP = (8 << 20, 64 << 20)
"""(mmap threshold, trim threshold) in bytes for a process that runs the networks."""


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # pragma: no cover - a glibc without the usual soname
        return None


@contextmanager
def big_blocks_mapped(threshold: int = 1 << 20, trim: int | None = None) -> Iterator[None]:
    """Within the block, allocations of ``threshold`` bytes or more are mapped, not heap.

    ``trim`` also fixes the trim threshold. Afterwards both are glibc's
    largest dynamic ones, as a long run would have reached anyway.
    """
    libc = _libc()
    if libc is None:
        yield
        return
    libc.mallopt(_M_MMAP_THRESHOLD, threshold)
    if trim is not None:
        libc.mallopt(_M_TRIM_THRESHOLD, trim)
    try:
        yield
    finally:
        libc.mallopt(_M_MMAP_THRESHOLD, _GLIBC_MAX_THRESHOLD)
        if trim is not None:
            libc.mallopt(_M_TRIM_THRESHOLD, 2 * _GLIBC_MAX_THRESHOLD)


def network_heap() -> None:
    """Fix this process's thresholds at :data:`NETWORK_HEAP` (for Dask workers; cheap)."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, NETWORK_HEAP[0])
        libc.mallopt(_M_TRIM_THRESHOLD, NETWORK_HEAP[1])
