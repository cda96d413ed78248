"""Downloading a peer's export: https only, bounded redirects, timeouts, a size cap enforced
while the body streams, and nothing of ours (cookies, credentials) sent."""

from __future__ import annotations

import time
import tracemalloc
from http.server import BaseHTTPRequestHandler

import pytest

from generator.federation.download import Limits, download
from generator.federation.errors import DownloadError
from tests.support.peers import PeerServer, body, endless, redirect, stalls

FAST = Limits(max_bytes=1 << 20, connect_timeout=2, read_timeout=0.5, deadline=3, max_redirects=3)


def test_a_plain_export_is_downloaded(peer_server: PeerServer) -> None:
    peer_server.routes["/directory.json"] = body(b'{"version":1}')
    got = download("p", peer_server.url("directory.json"), FAST, allow_loopback_http=True)
    assert got == b'{"version":1}'
    (path, headers), *_ = peer_server.seen
    assert path == "/directory.json"
    assert "Cookie" not in headers and "Authorization" not in headers


def test_http_is_refused_without_the_loopback_option(peer_server: PeerServer) -> None:
    peer_server.routes["/directory.json"] = body(b"{}")
    with pytest.raises(DownloadError, match="only https://"):
        download("p", peer_server.url("directory.json"), FAST)
    assert peer_server.seen == []  # refused before connecting


@pytest.mark.parametrize(
    "url",
    [
        "http://example.invalid/directory.json",
        "ftp://x.invalid/d.json",
        "http://10.0.0.1/d.json",
        "http://localhost/d.json",
        "http://127.0.0.1.example.invalid/d.json",
    ],
)
def test_the_loopback_option_allows_only_loopback_http(url: str) -> None:
    with pytest.raises(DownloadError, match="only https://"):
        download("p", url, FAST, allow_loopback_http=True)


def test_credentials_in_the_address_are_refused() -> None:
    with pytest.raises(DownloadError, match="only https://"):
        download("p", "https://user:secret@example.invalid/directory.json", FAST)


def test_a_redirect_to_http_is_refused(peer_server: PeerServer) -> None:
    peer_server.routes["/directory.json"] = redirect("http://example.invalid/directory.json")
    with pytest.raises(DownloadError, match=r"refused to fetch http://example\.invalid"):
        download("p", peer_server.url("directory.json"), FAST, allow_loopback_http=True)


def test_redirects_are_followed_up_to_the_limit_without_cookies(peer_server: PeerServer) -> None:
    peer_server.routes["/a"] = redirect("/b", cookie="session=peer-cookie; Path=/")
    peer_server.routes["/b"] = redirect("/c", status=301, cookie="other=1; Path=/")
    peer_server.routes["/c"] = body(b"{}")
    assert download("p", peer_server.url("a"), FAST, allow_loopback_http=True) == b"{}"
    assert [p for p, _ in peer_server.seen] == ["/a", "/b", "/c"]
    assert all("Cookie" not in headers for _, headers in peer_server.seen)


def test_too_many_redirects_are_refused(peer_server: PeerServer) -> None:
    for i in range(5):
        peer_server.routes[f"/{i}"] = redirect(f"/{i + 1}")
    with pytest.raises(DownloadError, match="more than 3 redirects"):
        download("p", peer_server.url("0"), FAST, allow_loopback_http=True)
    assert len(peer_server.seen) == 4


def test_a_server_error_is_named(peer_server: PeerServer) -> None:
    peer_server.routes["/directory.json"] = body(b"oops", status=500)
    with pytest.raises(DownloadError, match="answered HTTP 500"):
        download("p", peer_server.url("directory.json"), FAST, allow_loopback_http=True)


def test_a_server_that_does_not_answer_times_out(peer_server: PeerServer) -> None:
    peer_server.routes["/directory.json"] = stalls(3)
    started = time.monotonic()
    with pytest.raises(DownloadError, match=r"did not answer within 0\.5 s"):
        download("p", peer_server.url("directory.json"), FAST, allow_loopback_http=True)
    assert time.monotonic() - started < 2.5


def test_a_declared_length_over_the_cap_is_refused_before_reading(peer_server: PeerServer) -> None:
    sent: list[int] = []
    peer_server.routes["/directory.json"] = endless(200 * 1024 * 1024, declare_length=True, sent=sent)
    with pytest.raises(DownloadError, match="209,715,200 bytes, over the limit of 1,048,576"):
        download("p", peer_server.url("directory.json"), FAST, allow_loopback_http=True)


def test_a_200_mb_body_is_stopped_at_the_cap_while_streaming(peer_server: PeerServer) -> None:
    """No Content-Length: the cap is enforced on the bytes read, never holding 200 MB."""
    sent: list[int] = []
    peer_server.routes["/directory.json"] = endless(200 * 1024 * 1024, declare_length=False, sent=sent)
    limits = Limits(max_bytes=8 << 20, connect_timeout=2, read_timeout=2, deadline=30)
    tracemalloc.start()
    try:
        with pytest.raises(DownloadError, match="over the limit of 8,388,608 bytes"):
            download("p", peer_server.url("directory.json"), limits, allow_loopback_http=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 << 20, f"peak {peak:,} bytes"
    deadline = time.monotonic() + 5
    while not sent and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sent and sent[0] < 100 * 1024 * 1024, sent  # the server was cut off long before the end


def test_a_trickling_body_hits_the_deadline(peer_server: PeerServer) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        try:
            for _ in range(1000):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    peer_server.routes["/directory.json"] = trickle
    limits = Limits(max_bytes=1 << 20, connect_timeout=2, read_timeout=1, deadline=1)
    with pytest.raises(DownloadError, match="longer than 1 s"):
        download("p", peer_server.url("directory.json"), limits, allow_loopback_http=True)
