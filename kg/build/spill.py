"""The text-free records of a build, kept in a file between its two passes."""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

__all__ = ["Spill"]


class Spill:
    """The text-free results of a build, kept in a file between its two passes.

    >>> import tempfile, pathlib
    >>> spill = Spill(pathlib.Path(tempfile.mkdtemp()) / "records")
    >>> spill.add(["a", "b"]); spill.add(["c"])
    >>> list(spill), spill.count
    (['a', 'b', 'c'], 3)
    >>> spill.remove()
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.out: Any = path.open("wb")
        self.count = 0

    def add(self, results: Sequence[Any]) -> None:
        pickle.dump(tuple(results), self.out, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += len(results)

    def _close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None

    def __iter__(self) -> Iterator[Any]:
        self._close()
        with self.path.open("rb") as f:
            while True:
                try:
                    batch = pickle.load(f)  # our own file, written above: trusted
                except EOFError:
                    return
                yield from batch

    def remove(self) -> None:
        self._close()
        self.path.unlink(missing_ok=True)
