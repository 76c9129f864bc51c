"""Loading a build's text triples into its store in a thread beside the build.

Oxigraph parses and indexes N-Triples without Python's lock, so while it
loads one batch the main process can take the next batch from the workers
(or, with one worker, analyse it): the wait for the disk and the parsing
leave the build's critical path.

>>> from kg.rdf.store import Store
>>> store = Store.temporary()
>>> with BackgroundLoader(store) as loader:
...     loader.put('<https://e.org/a> <https://e.org/p> "甲" .\\n'.encode())
>>> len(store), loader.seconds > 0
(1, True)
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

__all__ = ["CHUNK_BYTES", "BackgroundLoader"]

CHUNK_BYTES = 16 << 20
"""Batches are loaded ~16 MB (~100 k triples) at a time: each bulk load writes a few
files per index that the store later merges, so per-batch loads (3 MB) made the
store merge ever more often as it grew; a bulk load's memory grows with its size."""


class BackgroundLoader:
    """Adds N-Triples batches to ``store`` in order, in one thread; ``with`` waits for the last.

    Batches are gathered into chunks of ``chunk_bytes``; at most ``depth``
    chunks wait at once (``put`` blocks beyond), so memory stays bounded when
    the disk is slower than the workers. A loading error is
    raised by the next ``put`` or at the end. ``seconds`` is the time the
    thread spent loading.
    """

    def __init__(self, store: Any, depth: int = 2, chunk_bytes: int = CHUNK_BYTES) -> None:
        self.store = store
        self.seconds = 0.0
        self.chunk_bytes = chunk_bytes
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kg-store-load", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain: the build stops at its next put
            began = time.perf_counter()
            try:
                self.store.add_ntriples(data)
            except BaseException as exc:  # handed to the main thread
                self._error = exc
            self.seconds += time.perf_counter() - began

    def put(self, data: bytes) -> None:
        """Queue ``data`` for loading (raises an earlier batch's loading error)."""
        self._raise()
        self._pending.append(data)
        self._pending_bytes += len(data)
        if self._pending_bytes >= self.chunk_bytes:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._queue.put(b"".join(self._pending))
            self._pending, self._pending_bytes = [], 0

    def close(self) -> None:
        """Wait until every queued batch is loaded; raise a loading error."""
        if self._thread.is_alive():
            self._flush()
            self._queue.put(None)
            self._thread.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def __enter__(self) -> BackgroundLoader:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:  # the build failed: stop loading, keep the build's own error
            self._queue.put(None)
            self._thread.join()
