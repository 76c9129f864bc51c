"""The text-free records of a build, kept in a file between its two passes."""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

__all__ = ["Spill", "read_part"]


class Spill:
    """The text-free results of a build, kept in a file between its two passes.

    >>> import tempfile, pathlib
    >>> spill = Spill(pathlib.Path(tempfile.mkdtemp()) / "records")
    >>> spill.add(["a", "b"]); spill.add(["c"])
    >>> list(spill), spill.count
    (['a', 'b', 'c'], 3)
    >>> [list(read_part(spill.path, part)) for part in spill.parts(2)]
    [['a', 'b'], ['c']]
    >>> spill.remove()
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.out: Any = path.open("wb")
        self.count = 0
        self.records: list[tuple[int, int]] = []  # (byte offset, results) of each add

    def add(self, results: Sequence[Any]) -> None:
        self.records.append((self.out.tell(), len(results)))
        pickle.dump(tuple(results), self.out, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += len(results)

    def parts(self, size: int) -> list[tuple[int, int]]:
        """The file cut into ``(offset, records)`` parts of at least ``size`` results
        (whole adds; the last part may be smaller), for :func:`read_part`."""
        self._close()
        out: list[tuple[int, int]] = []
        start, n, held = 0, 0, 0
        for i, (offset, count) in enumerate(self.records):
            if n == 0:
                start = offset
            n, held = n + 1, held + count
            if held >= size or i == len(self.records) - 1:
                out.append((start, n))
                n, held = 0, 0
        return out

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
        """Delete the file."""
        self._close()
        self.path.unlink(missing_ok=True)


def read_part(path: Path, part: tuple[int, int]) -> Iterator[Any]:
    """The results of one part of a spill file (:meth:`Spill.parts`)."""
    offset, records = part
    with path.open("rb") as f:
        f.seek(offset)
        for _ in range(records):
            yield from pickle.load(f)  # our own file, written by Spill.add: trusted
