"""Download one peer's export, within limits: a peer's server is not trusted.

- **https only**: the address and every redirect must be ``https://``. ``http://127.0.0.1`` is
  accepted only when the caller says so (``allow_loopback_http``: tests and local trials, never
  the scheduled workflow).
- **redirects**: followed by hand, at most :attr:`Limits.max_redirects`, each checked as above.
- **size**: a ``Content-Length`` over the cap is refused before the body is read; the body is
  read in chunks and refused as soon as the bytes read (after decompression) pass the cap, so a
  huge or endless body is never held in memory.
- **time**: a connect and a read timeout on every request, and a deadline for the whole download
  (a server that trickles a byte a second never ends otherwise).
- **no cookies, no credentials**: a cookie jar that accepts nothing, no ``.netrc``, no proxy from
  the environment, nothing but ``Accept`` and ``User-Agent`` sent.
"""

from __future__ import annotations

import http.cookiejar
import logging
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from generator.federation.errors import DownloadError

log = logging.getLogger(__name__)

USER_AGENT = "mentormemed-federation (+https://mentormemed.github.io/directory/about/)"
#: the only host plain http may reach, with the option: a name such as localhost could be
#: resolved to anything by the machine's configuration
_LOOPBACK_HOSTS = frozenset({"127.0.0.1"})
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """What one download may take."""

    max_bytes: int = 64 * 1024 * 1024
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 120.0
    max_redirects: int = 3


def _allowed(url: str, allow_loopback_http: bool) -> bool:
    parts = urlsplit(url)
    if parts.username or parts.password or not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    return allow_loopback_http and parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies, .netrc or CA overrides from the environment
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    session.headers.clear()
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


def download(peer: str, url: str, limits: Limits = Limits(), *, allow_loopback_http: bool = False) -> bytes:
    """The body at ``url`` (after at most ``limits.max_redirects`` redirects), or
    :class:`DownloadError` saying which limit was hit."""
    started = time.monotonic()
    timeout = (limits.connect_timeout, limits.read_timeout)
    with _session() as session:
        for _hop in range(limits.max_redirects + 1):
            if not _allowed(url, allow_loopback_http):
                raise DownloadError(
                    peer,
                    f"refused to fetch {url}: only https:// addresses are fetched (no user name or "
                    "password in them).",
                )
            try:
                response = session.get(url, timeout=timeout, stream=True, allow_redirects=False)
            except requests.Timeout:
                raise DownloadError(peer, f"{url} did not answer within {limits.read_timeout:g} s.") from None
            except requests.RequestException as exc:
                raise DownloadError(peer, f"{url} could not be reached ({type(exc).__name__}).") from None
            with response:
                if response.is_redirect:
                    location = response.headers.get("Location", "")
                    url = urljoin(url, location)
                    continue
                if response.status_code != 200:
                    raise DownloadError(
                        peer, f"{url} answered HTTP {response.status_code} instead of the export."
                    )
                return _read_body(peer, url, response, limits, started)
        raise DownloadError(
            peer, f"more than {limits.max_redirects} redirects from {url}: point directory_url at the export."
        )


def _read_body(peer: str, url: str, response: requests.Response, limits: Limits, started: float) -> bytes:
    cap = limits.max_bytes
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise DownloadError(
            peer, f"{url} is {int(declared):,} bytes, over the limit of {cap:,} bytes: nothing was read."
        )
    body = bytearray()
    raw = response.raw
    try:
        # read1: whatever the socket has (up to a chunk), so the deadline is checked between
        # reads even when a server trickles a byte at a time
        while chunk := raw.read1(_CHUNK, decode_content=True):
            body += chunk
            if len(body) > cap:
                raise DownloadError(
                    peer, f"{url} is over the limit of {cap:,} bytes: the download was stopped there."
                )
            if time.monotonic() - started > limits.deadline:
                raise DownloadError(
                    peer, f"{url} took longer than {limits.deadline:g} s to download: stopped."
                )
    except urllib3.exceptions.ReadTimeoutError:
        raise DownloadError(peer, f"{url} stopped sending for {limits.read_timeout:g} s.") from None
    except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
        raise DownloadError(peer, f"the download of {url} broke off ({type(exc).__name__}).") from None
    log.info("%s: %d bytes from %s", peer, len(body), url)
    return bytes(body)
