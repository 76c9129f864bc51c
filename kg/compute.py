"""Numeric work on one BLAS thread: kg's networks multiply small matrices.

OpenBLAS starts a thread per core for every product; for the small
matrices of one sentence the threads cost far more than they give, and
beside build workers and other processes they fight for the same cores
(measured: one ``kg.recognize`` call 20 ms → 0.9 ms on a busy 2-core
machine). Parallelism in kg comes from worker processes instead
(``--workers``). This is the one module that uses threadpoolctl.

>>> @one_blas_thread
... def double(x):
...     return 2 * x
>>> double(21)
42
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from threadpoolctl import ThreadpoolController

__all__ = ["one_blas_thread"]

F = TypeVar("F", bound=Callable[..., Any])


@functools.lru_cache(maxsize=1)
def _controller() -> ThreadpoolController:
    return ThreadpoolController()  # inspects the loaded libraries once (~5 ms)


@functools.lru_cache(maxsize=1)
def _blas() -> tuple[Any, ...]:
    """The loaded BLAS libraries' controllers (threadpoolctl), found once."""
    return tuple(_controller().select(user_api="blas").lib_controllers)


def one_blas_thread(fn: F) -> F:
    """Run ``fn`` with BLAS limited to one thread (restored afterwards).

    Each library's count is read and set directly (~3 µs a call):
    ``ThreadpoolController.limit`` builds a limiter object each time (~20 µs,
    3 % of one sentence's recognition).
    """
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        libs = _blas()
        before = [lib.num_threads for lib in libs]
        if all(n == 1 for n in before):
            return fn(*args, **kwargs)
        for lib in libs:
            lib.set_num_threads(1)
        try:
            return fn(*args, **kwargs)
        finally:
            for lib, n in zip(libs, before, strict=True):
                lib.set_num_threads(n)
    return wrapper  # type: ignore[return-value]
