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

__all__ = ["BackgroundLoader"]


class BackgroundLoader:
    """Adds N-Triples batches to ``store`` in order, in one thread; ``with`` waits for the last.

    At most ``depth`` batches wait at once (``put`` blocks beyond), so memory
    stays bounded when the disk is slower than the workers. A loading error is
    raised by the next ``put`` or at the end. ``seconds`` is the time the
    thread spent loading.
    """

    def __init__(self, store: Any, depth: int = 4) -> None:
        self.store = store
        self.seconds = 0.0
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
        self._queue.put(data)

    def close(self) -> None:
        """Wait until every queued batch is loaded; raise a loading error."""
        if self._thread.is_alive():
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
