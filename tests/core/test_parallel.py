"""Work split between forked processes gives the results, in order, of doing it in one.

The checks that need fork() run in a fresh interpreter: the test session has server threads
(the browser tests'), and :mod:`generator.core.parallel` rightly never forks a process with threads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.core import parallel
from tests.support.paths import ROOT

LINUX_ONLY = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is used on Linux only")


def _isolated(code: str, tmp_path: Path | None = None) -> None:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=tmp_path or ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@LINUX_ONLY
def test_parallel_map_forks_and_keeps_the_order() -> None:
    _isolated(
        """
        import os
        from generator.core import parallel
        parallel.MIN_ITEMS_PER_WORKER = 1
        assert parallel.worker_count(10, workers=2) == 2
        results = parallel.parallel_map(lambda n: (n * n, os.getpid()), list(range(10)), workers=2)
        assert [square for square, _ in results] == [n * n for n in range(10)], results
        pids = {pid for _, pid in results}
        assert len(pids) == 2 and os.getpid() not in pids, pids
        """
    )


@LINUX_ONLY
def test_an_error_in_a_worker_reaches_the_caller() -> None:
    _isolated(
        """
        from generator.core import parallel
        parallel.MIN_ITEMS_PER_WORKER = 1
        def fails(n):
            if n == 7:
                raise ValueError("seven")
            return n
        try:
            parallel.parallel_map(fails, list(range(10)), workers=2)
        except ValueError as exc:
            assert str(exc) == "seven"
        else:
            raise AssertionError("the error was lost")
        """
    )


@pytest.mark.slow
@LINUX_ONLY
def test_pages_rendered_by_forked_workers_are_those_of_one_process(tmp_path: Path) -> None:
    _isolated(
        f"""
        import shutil
        from pathlib import Path
        from generator.core import parallel
        from generator.site.build import build
        content = Path({str(tmp_path)!r}) / "content"
        shutil.copytree({str(ROOT / "content")!r}, content)

        def files(site):
            return {{p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
                    if p.is_file() and p.name != ".mentormemed-build"}}

        parallel.MIN_ITEMS_PER_WORKER = 10**9
        can_fork = parallel._can_fork
        parallel._can_fork = lambda: False  # the search index in this process too
        build(content, Path({str(tmp_path)!r}) / "serial")
        parallel._can_fork = can_fork
        parallel.MIN_ITEMS_PER_WORKER = 1
        assert parallel.worker_count(100, workers=2) == 2
        build(content, Path({str(tmp_path)!r}) / "forked")
        serial, forked = files(Path({str(tmp_path)!r}) / "serial"), files(Path({str(tmp_path)!r}) / "forked")
        assert sorted(serial) == sorted(forked)
        assert [n for n in serial if serial[n] != forked[n]] == []
        """,
        tmp_path,
    )


def test_small_batches_stay_in_this_process() -> None:
    results = parallel.parallel_map(_square_and_pid, list(range(10)), workers=2)
    assert [square for square, _ in results] == [n * n for n in range(10)]
    assert {pid for _, pid in results} == {os.getpid()}


@LINUX_ONLY
def test_a_background_job_runs_in_another_process_and_its_error_reaches_the_caller() -> None:
    _isolated(
        """
        import os, time
        from generator.core import parallel
        job = parallel.in_background(lambda: os.getpid())
        assert job.forked
        assert job.wait() not in (None, os.getpid())
        assert job.wait() == job.wait()  # waited once, remembered

        def fails():
            raise ValueError("index")
        job = parallel.in_background(fails)
        try:
            job.wait()
        except ValueError as exc:
            assert str(exc) == "index"
        else:
            raise AssertionError("the error was lost")

        def dies():
            os._exit(3)
        try:
            parallel.in_background(dies).wait()
        except parallel.WorkerError:
            pass
        else:
            raise AssertionError("a process that died was not reported")

        slow = parallel.in_background(lambda: time.sleep(60))
        started = time.monotonic()
        slow.stop()
        assert time.monotonic() - started < 10
        try:
            slow.wait()
        except parallel.WorkerError:
            pass
        else:
            raise AssertionError("a stopped job has no result")
        """
    )


def test_a_background_job_runs_here_where_forking_is_not_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_can_fork", lambda: False)
    job = parallel.in_background(os.getpid)
    assert not job.forked and job.wait() == os.getpid()
    failing = parallel.in_background(lambda: 1 // 0)
    with pytest.raises(ZeroDivisionError):
        failing.wait()


@LINUX_ONLY
def test_a_background_job_may_call_parallel_map_which_then_stays_in_its_process() -> None:
    """The search index (written in the background) renders its shards with parallel_map: a
    daemonic process may not fork children, so there the work stays in the job's process."""
    _isolated(
        """
        import os
        from generator.core import parallel
        parallel.MIN_ITEMS_PER_WORKER = 1

        def job():
            results = parallel.parallel_map(lambda n: (n * n, os.getpid()), list(range(10)), workers=2)
            return [square for square, _ in results], {pid for _, pid in results}, os.getpid()

        background = parallel.in_background(job)
        assert background.forked
        squares, pids, pid = background.wait()
        assert squares == [n * n for n in range(10)]
        assert pids == {pid} and pid != os.getpid()
        """
    )
