"""`mentormemed serve`: builds, serves on 127.0.0.1, rebuilds on change, keeps the last good site."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.site.build import build
from generator.site.serve import serve_in_thread
from tests.support.paths import ROOT

# `mentormemed serve` as a process, rebuilding on change.
pytestmark = [pytest.mark.e2e]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _wait_for(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


class Output:
    """Collects a process's output lines in a thread."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def serving(base_content: Path, tmp_path: Path) -> Iterator[tuple[str, Output]]:
    port = _free_port()
    command = [sys.executable, "-c", "from generator.cli import main; main()", "serve"]
    command += ["--content", str(base_content), "--output", str(tmp_path / "site"), "--port", str(port)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    output = Output(process)
    try:
        _wait_for(lambda: "Serving" in output.text)
        yield f"http://127.0.0.1:{port}/", output
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(
    serving: tuple[str, Output], base_content: Path
) -> None:
    base, output = serving
    status, page = _get(base + "mentors/ana-example/")
    assert status == 200 and "Ana Example, MD" in page
    status, page = _get(base + "no/such/page/")
    assert status == 404 and "Page not found" in page and 'href="/theme/css/site.css' in page

    mentor = base_content / "mentors" / "lakeshore-som" / "ana-example.yml"
    mentor.write_text(mentor.read_text().replace("name: Ana Example, MD", "name: Ana Renamed, MD"))
    _wait_for(lambda: "Ana Renamed, MD" in _get(base + "mentors/ana-example/")[1])

    mentor.write_text(mentor.read_text().replace("[emergency-medicine]", "[cardiolgy]"))
    _wait_for(lambda: "error[unknown-term]" in output.text)
    assert "Ana Renamed, MD" in _get(base + "mentors/ana-example/")[1]


def test_served_site_answers_with_404_page(base_content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(base_content, site)
    server, base = serve_in_thread(site)
    try:
        assert _get(base + "directory/")[0] == 200
        status, page = _get(base + "missing.json")
        assert status == 404 and "Page not found" in page
    finally:
        server.shutdown()
        server.server_close()
