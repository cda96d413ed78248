"""Serve a built site on localhost, and rebuild it when the content or the theme changes."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files from one folder; ``404.html`` for missing ones, like GitHub Pages."""

    def __init__(self, *args: Any, site: Path, **kwargs: Any) -> None:
        self.site = site
        super().__init__(*args, directory=str(site), **kwargs)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.site / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """An HTTP server for ``site`` (port 0 picks a free port: see ``server.server_address``)."""
    handler = functools.partial(SiteHandler, site=site)
    return ThreadingHTTPServer((host, port), handler)


def serve_in_thread(site: Path, host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start a server in a daemon thread; returns it and its base URL (call ``shutdown()``)."""
    server = make_server(site, host, port)
    thread = threading.Thread(target=server.serve_forever, name="mentormemed-serve", daemon=True)
    thread.start()
    address = server.server_address
    return server, f"http://{address[0]!s}:{address[1]}/"


def watch(paths: Iterable[Path], on_change: Callable[[set[str]], None], stop: threading.Event) -> None:
    """Call ``on_change`` with the changed files each time something under ``paths`` changes."""
    from watchfiles import watch as watch_files

    existing = [str(p) for p in paths if p.exists()]
    for changes in watch_files(*existing, stop_event=stop, debounce=300, raise_interrupt=False):
        on_change({path for _, path in changes})
