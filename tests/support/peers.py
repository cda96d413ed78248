"""Peer networks for the federation tests: exports of demo networks, a local HTTP server that
serves each peer's export or misbehaves in a chosen way, and a federation.yml naming them."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from generator.content.export import DirectoryExport, build_export, export_json
from generator.content.validation import validate_content
from generator.content.vocabulary import vocabulary
from generator.demo.network import write_network


def demo_export(folder: Path, mentors: int, programs: int, seed: int, site_url: str) -> DirectoryExport:
    """The export (directory.json) of a demo network written to ``folder``."""
    write_network(folder, mentors, programs, seed)
    result = validate_content(folder)
    result.raise_for_problems()
    return build_export(result.programs, result.mentors, site_url, vocabulary())


def peer_entry(peer_id: str, name: str, *, version: int = 1) -> dict[str, Any]:
    """One peer of federation.yml; its addresses are https (the test server is given with
    ``--source``/``FetchOptions.sources``)."""
    return {
        "id": peer_id,
        "name": name,
        "directory_url": f"https://{peer_id}.invalid/directory/directory.json",
        "export_version": version,
        "site_url": f"https://{peer_id}.invalid/directory",
        "request_form_url": f"https://github.com/mmm-sample-{peer_id}/directory/issues/new?template=mentor-request.yml",
        "reviewers": [f"mmm-sample-{peer_id}-lead"],
    }


def write_federation(content: Path, peers: list[dict[str, Any]]) -> Path:
    path = content / "federation.yml"
    path.write_text(yaml.safe_dump({"peers": peers}, sort_keys=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the server

#: what the server does for a path: returns nothing, writes the whole answer itself
Behaviour = Callable[[BaseHTTPRequestHandler], None]


def body(data: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Behaviour:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(data)

    return answer


def export_body(export: DirectoryExport | dict[str, Any]) -> Behaviour:
    if isinstance(export, DirectoryExport):
        return body(export_json(export).encode())
    return body(json.dumps(export).encode())


def redirect(location: str, status: int = 302, cookie: str | None = None) -> Behaviour:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        if cookie:
            handler.send_header("Set-Cookie", cookie)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def stalls(seconds: float) -> Behaviour:
    """Accepts the request, then says nothing for ``seconds``."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        with contextlib.suppress(OSError):  # the client gave up first
            body(b"{}")(handler)

    return answer


def endless(total: int, *, declare_length: bool, sent: list[int]) -> Behaviour:
    """A ``total``-byte body made as it is sent (never held in memory here either); the bytes
    actually written are added to ``sent``."""
    chunk = b" " * 65536

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if declare_length:
            handler.send_header("Content-Length", str(total))
        else:
            handler.send_header("Connection", "close")
        handler.end_headers()
        written = 0
        try:
            handler.wfile.write(b'{"version":1,"pad":"')
            while written < total:
                handler.wfile.write(chunk)
                written += len(chunk)
        except OSError:
            pass
        finally:
            sent.append(written)
            handler.close_connection = True

    return answer


@dataclass
class PeerServer:
    """A local HTTP server: ``routes[path]`` says what each path does; ``seen`` records every
    request's path and headers."""

    routes: dict[str, Behaviour] = field(default_factory=dict)
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: str = ""

    def url(self, path: str) -> str:
        return self.base + path.lstrip("/")


def _handler(state: PeerServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            state.seen.append((self.path, dict(self.headers.items())))
            behaviour = state.routes.get(self.path)
            if behaviour is None:
                body(b"not found", status=404)(self)
                return
            behaviour(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def serve_peers() -> Iterator[PeerServer]:
    """A :class:`PeerServer` on 127.0.0.1 for as long as the generator is not resumed."""
    state = PeerServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
