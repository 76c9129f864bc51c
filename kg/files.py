"""Atomic output: a crash never leaves a half-written file.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(d / "x.txt", "图谱").read_text(encoding="utf-8")
'图谱'
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from kg.errors import KGError, UsageError


@contextmanager
def atomic_open(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` only when the block ends without error.

    It is a temp file beside ``path``, flushed to disk and renamed over it;
    on an error the temp file is removed and ``path`` is left as it was.
    """
    with atomic_path(path) as tmp, open(tmp, "wb") as out:
        yield out


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """The temp file's path beside ``path``, renamed over it when the block ends without error.

    The file is flushed to disk first; on an error it is removed and
    ``path`` is left as it was. :func:`atomic_open` opens it for the block.

    For writers that open files on their own: Oxigraph writing to a path
    never takes Python's lock, while writing into a Python file object it
    takes the lock for every chunk, and a busy Python thread (the page being
    rendered) then stalls it (a 46 MB dump: 2.5 s to a path, 37 s to a file
    object beside a thread running Python code).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "x.txt") as tmp:
    ...     _ = tmp.write_text("图谱", encoding="utf-8")
    >>> (d / "x.txt").read_text(encoding="utf-8"), sorted(p.name for p in d.iterdir())
    ('图谱', ['x.txt'])
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8; lone surrogates become "?") to ``path`` atomically."""
    with atomic_open(path) as out:
        out.write(data.encode("utf-8", "replace") if isinstance(data, str) else data)
    return Path(path)


# -------------------------------------------------------------- a build's outputs as a set

OUTPUT_NAMES = frozenset({
    "graph.ttl", "graph.nt", "graph.jsonld", "graph.rdf", "graph.trig", "graph.nq",
    "graph.graphml", "graph.html", "report.json",
})
"""The files a build writes into its output folder; the set of one build replaces the last."""

STAGING_PREFIX = ".kg-staging-"
"""Name prefix of the folder a build writes its outputs into before they replace the old ones."""


def check_output_dir(path: str | os.PathLike[str], option: str = "-o") -> Path:
    """``path`` as a folder outputs can be written to (made if missing), or a one-line error.

    >>> import tempfile
    >>> f = tempfile.mkstemp()[1]
    >>> check_output_dir(f)
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: -o ...: is a file, not a folder; give a folder for the outputs
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{option} {folder}: is a file, not a folder; give a folder for "
                         "the outputs")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=STAGING_PREFIX, suffix=".probe", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise KGError(f"cannot write to {folder}: {exc.strerror or exc}") from exc
    return folder


class OutputSet:
    """Write a build's outputs into a staging folder; they replace the old set only as a whole.

    Inside the ``with`` block, write every file into :attr:`stage`. When the
    block ends without error, each file is renamed into the output folder,
    the outputs of an earlier build that this one did not write (an old
    ``graph.html`` after ``--no-html``) are removed, as are the temp files
    of killed writes (``.graph.ttl.*.tmp``) and the staging folders of
    killed builds. On an error (a full disk) the staging folder goes and the
    previous outputs are left exactly as they were.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> _ = (out / "graph.html").write_text("旧", encoding="utf-8")
    >>> with OutputSet(out) as stage:
    ...     _ = atomic_write(stage / "graph.ttl", "新")
    >>> sorted(p.name for p in out.iterdir())
    ['graph.ttl']
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.stage = self.folder  # set in __enter__

    def __enter__(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.stage = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-",
                                           dir=self.folder))
        return self.stage

    def __exit__(self, kind: object, *rest: object) -> None:
        try:
            if kind is None:
                self._publish()
        finally:
            shutil.rmtree(self.stage, ignore_errors=True)

    def _publish(self) -> None:
        new = sorted(p.name for p in self.stage.iterdir() if p.name in OUTPUT_NAMES)
        for name in new:
            os.replace(self.stage / name, self.folder / name)
        for old in self.folder.iterdir():
            if old.name in OUTPUT_NAMES and old.name not in new:
                old.unlink(missing_ok=True)
            elif _leftover(old.name):
                if old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    old.unlink(missing_ok=True)


def _leftover(name: str) -> bool:
    """A temp file of an interrupted output write, or a killed build's staging folder."""
    if name.startswith(".") and name.endswith(".tmp"):
        return name[1:].split(".tmp")[0].rsplit(".", 1)[0] in OUTPUT_NAMES
    if name.startswith(STAGING_PREFIX):
        pid = name[len(STAGING_PREFIX):].split("-", 1)[0]
        return pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid))
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
