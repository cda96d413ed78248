"""Splitting CPU-bound build work between forked worker processes.

Validation, page rendering and the search index are pure Python and CPU-bound, so threads do
not help; forked processes inherit everything already loaded (templates, the vocabulary, the
jobs) and only send their results back. :func:`parallel_map` splits one list of jobs;
:func:`in_background` runs one long job (the search index) beside the rest of the build.
fork() is used only where it is safe: a platform that has it and a process with a single
thread (``mentormemed serve`` runs an HTTP server thread, so its rebuilds stay in one process),
on Linux (elsewhere one process does the work). Small batches run in the calling process:
forking costs more than it saves.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items per worker, one process does all the work.
MIN_ITEMS_PER_WORKER = 200

_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def worker_count(items: int, workers: int | None = None) -> int:
    """How many processes to use for ``items`` items (1 when forking is not worth it or not safe)."""
    available = workers if workers is not None else (os.cpu_count() or 1)
    count = min(available, items // MIN_ITEMS_PER_WORKER)
    if count < 2 or threading.active_count() > 1 or not _can_fork():
        return 1
    # a daemonic process (the background job of in_background) may not have children
    if multiprocessing.current_process().daemon:
        return 1
    return count


def _can_fork() -> bool:
    # Linux only: macOS has fork() but system frameworks are not safe in a forked child
    # (Python itself stopped using it there), and Windows has none.
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def parallel_map(function: Callable[[T], R], items: Sequence[T], workers: int | None = None) -> list[R]:
    """``[function(item) for item in items]``, in order, split between forked processes.

    ``function`` and ``items`` are inherited by the workers, not pickled; each result is
    pickled back to the parent.
    """
    count = worker_count(len(items), workers)
    if count == 1:
        return [function(item) for item in items]
    global _TASK
    _TASK = (function, items)
    try:
        parts = _run_in_workers(count)
    finally:
        _TASK = None
    results: list[Any] = [None] * len(items)
    for start, part in enumerate(parts):
        results[start::count] = part
    log.debug("%d items on %d processes", len(items), count)
    return results


class WorkerError(RuntimeError):
    """A worker process ended without sending its results (killed, or out of memory)."""


def _run_in_workers(count: int) -> list[list[Any]]:
    """Fork exactly ``count`` processes, worker *i* taking items i, i + count, …; their results
    in worker order. (A pool could hand both shares to one worker while the other starts.)"""
    context = multiprocessing.get_context("fork")
    workers = []
    for start in range(count):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=((start, count), send), daemon=True)
        process.start()
        send.close()  # the child holds the only sending end: EOF when it dies without a word
        workers.append((process, receive))
    parts: list[list[Any]] = []
    failure: BaseException | None = None
    for process, receive in workers:
        try:
            ok, payload = receive.recv()  # before join: a large result fills the pipe
        except EOFError:
            ok, payload = False, WorkerError(f"worker {process.pid} ended without its results")
        finally:
            receive.close()
            process.join()
        if ok:
            parts.append(payload)
        elif failure is None:
            failure = payload
    if failure is not None:
        raise failure
    return parts


def _work(share: tuple[int, int], send: Any) -> None:
    try:
        result: tuple[bool, Any] = (True, _run_share(share))
    except Exception as exc:  # sent to the parent, which raises it
        result = (False, exc)
    send.send(result)
    send.close()


def _run_share(share: tuple[int, int]) -> list[Any]:
    assert _TASK is not None
    function, items = _TASK
    start, step = share
    return [function(items[i]) for i in range(start, len(items), step)]


class Background:
    """One function running in a forked process beside the caller (:func:`in_background`):
    :meth:`wait` returns its result or raises its exception; :meth:`stop` ends it unfinished.
    Where forking is not safe the function has already run, in the caller, when this is made."""

    def __init__(self, function: Callable[[], Any]) -> None:
        self._result: tuple[bool, Any] | None = None
        self._process: Any = None
        self._receive: Any = None
        if threading.active_count() > 1 or not _can_fork():
            try:
                self._result = (True, function())
            except Exception as exc:
                self._result = (False, exc)
            return
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work_once, args=(function, send), daemon=True)
        process.start()
        send.close()
        self._process, self._receive = process, receive

    @property
    def forked(self) -> bool:
        return self._process is not None

    def wait(self) -> Any:
        if self._result is None:
            try:
                self._result = self._receive.recv()  # before join: a large result fills the pipe
            except EOFError:
                self._result = (False, WorkerError(f"process {self._process.pid} ended without its result"))
            finally:
                self._receive.close()
                self._process.join()
        ok, payload = self._result
        if not ok:
            raise payload
        return payload

    def stop(self) -> None:
        """End the process if it still runs (the caller failed and will not wait for it)."""
        if self._process is not None and self._result is None:
            self._process.terminate()
            self._process.join()
            self._receive.close()
            self._result = (False, WorkerError("stopped"))


def in_background(function: Callable[[], Any]) -> Background:
    """Start ``function()`` in a forked process (inherited, not pickled; its result is pickled
    back) and return at once: the caller goes on with other work on the other core."""
    return Background(function)


def _work_once(function: Callable[[], Any], send: Any) -> None:
    try:
        result: tuple[bool, Any] = (True, function())
    except Exception as exc:  # sent to the parent, which raises it
        result = (False, exc)
    send.send(result)
    send.close()
