"""kg.compute.one_blas_thread: BLAS on one thread inside, the user's setting back after."""

from __future__ import annotations

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from kg.compute import one_blas_thread


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


@one_blas_thread
def _inside() -> list[int]:
    return _blas_threads()


@one_blas_thread
def _fails() -> None:
    raise ValueError("a model error")


def test_one_thread_inside_and_the_setting_restored_after() -> None:
    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()
        assert before and all(n >= 1 for n in before)
        assert _inside() == [1] * len(before)
        assert _blas_threads() == before
        with pytest.raises(ValueError, match="a model error"):
            _fails()
        assert _blas_threads() == before
