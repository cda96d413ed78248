"""Build the directory site: validate, run Pelican with the project's plugin and theme, swap.

:func:`build` refuses invalid content (raising :class:`~generator.core.problems.ContentError`) and
builds into a temporary folder beside the output; only a complete build replaces the old
output, so a failed build leaves it untouched. With the build cache, that folder holds only
what changed, applied onto the old output once the build is complete
(:mod:`generator.site.overlay`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.content.models import DEFAULT_STALE_AFTER_MONTHS, Mentor, Program
from generator.content.peers import Federation
from generator.core.cache import BUILD_MARKER
from generator.core.clock import today
from generator.core.defaults import DEFAULT_REPOSITORY_URL, DEFAULT_SITE_URL, SITE_NAME
from generator.core.paths import project_root
from generator.core.problems import ContentError
from generator.site.errors import SiteBuildError
from generator.site.overlay import (
    APPLYING_MARKER,
    apply_partial,
    kept_pages,
    load_files,
    save_files,
    staged_files,
)

if TYPE_CHECKING:
    from generator.federation.snapshots import PeerDirectory

log = logging.getLogger(__name__)


def theme_dir() -> Path:
    """``theme/`` of the project."""
    return project_root() / "theme"


__all__ = ["BuiltSite", "Network", "SiteBuildError", "build", "build_site"]


@dataclass(frozen=True)
class BuiltSite:
    """What a build published: how many mentors and programs (this network's), and how many
    mentors of peer networks were merged in."""

    mentors: int
    programs: int
    peer_mentors: int = 0
    peers: int = 0
    #: ``None``: built; else how many edited bios were patched onto the output (0: nothing changed)
    patched_bios: int | None = None
    #: why a build with the cache was not a patch (generator/site/patch.py)
    patch_refused: str | None = None


@dataclass(frozen=True)
class Network:
    """Validated programs and mentors, by id, and the peer networks' snapshots to merge."""

    programs: Mapping[str, Program]
    mentors: Mapping[str, Mentor]
    #: ``stale_after_months`` of ``content/network.yml`` (docs/freshness.md).
    stale_after_months: int = DEFAULT_STALE_AFTER_MONTHS
    peers: Sequence[PeerDirectory] = ()


def _check_cache_dir(cache_dir: Path, content: Path | None) -> None:
    """Refuse a cache folder that is a symbolic link or lies inside the content folder."""
    from generator.core.cache import UnsafeCacheDir, check_cache_dir

    try:
        check_cache_dir(cache_dir, content)
    except UnsafeCacheDir as exc:
        raise SiteBuildError(str(exc)) from exc


def _check_url(url: str, what: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise SiteBuildError(f"the {what} '{url}' must be an absolute http(s):// address.")
    return url.rstrip("/")


def pelican_settings(
    content: Path,
    output: Path,
    network: Network,
    site_url: str,
    repository_url: str,
    node_modules: Path,
    *,
    ledger: Path | None = None,
    as_of: dt.date | None = None,
    stale_after_months: int = DEFAULT_STALE_AFTER_MONTHS,
) -> dict[str, Any]:
    """Pelican settings: only the plugin writes pages (no articles, tags, feeds or pages)."""
    from pelican.settings import read_settings

    from generator.site.plugin import PLUGIN_NAME

    override: dict[str, Any] = {
        "PATH": str(content.resolve()),
        "OUTPUT_PATH": str(output.resolve()),
        "THEME": str(theme_dir()),
        "THEME_STATIC_DIR": "theme",
        "THEME_STATIC_PATHS": ["static"],
        "SITENAME": SITE_NAME,
        "SITEURL": site_url,
        "RELATIVE_URLS": True,
        "TIMEZONE": "UTC",
        "DEFAULT_LANG": "en",
        "PLUGINS": [PLUGIN_NAME],
        "PLUGIN_PATHS": [],
        "ARTICLE_PATHS": [],
        "PAGE_PATHS": [],
        "STATIC_PATHS": [],
        "DIRECT_TEMPLATES": [],
        "PAGINATED_TEMPLATES": {},
        "TEMPLATE_PAGES": {},
        "FEED_ALL_ATOM": None,
        "FEED_ALL_RSS": None,
        "CATEGORY_FEED_ATOM": None,
        "TRANSLATION_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None,
        "TAG_SAVE_AS": "",
        "CATEGORY_SAVE_AS": "",
        "AUTHOR_SAVE_AS": "",
        "ARCHIVES_SAVE_AS": "",
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "JINJA_ENVIRONMENT": {
            "autoescape": True,
            "trim_blocks": True,
            "lstrip_blocks": True,
            "extensions": [],
            # a build reads each template once: no check of its file before every page
            "auto_reload": False,
        },
        "MENTORMEMED_NETWORK": network,
        "MENTORMEMED_PEERS": list(network.peers),
        "MENTORMEMED_SITE_URL": site_url,
        "MENTORMEMED_REPOSITORY_URL": repository_url,
        "MENTORMEMED_NODE_MODULES": str(node_modules),
        "MENTORMEMED_LEDGER": str(ledger.resolve()) if ledger is not None else None,
        "MENTORMEMED_AS_OF": (as_of or today()).isoformat(),
        "MENTORMEMED_STALE_AFTER_MONTHS": stale_after_months,
    }
    settings: dict[str, Any] = read_settings(path=None, override=override)
    return settings


@contextlib.contextmanager
def _quiet_pelican() -> Iterator[None]:
    """Pelican prints a summary line through rich; the CLI says what it needs itself.

    Pelican also gives every logger made after it is imported a filter that drops a message
    the process has logged before (``LimitFilter``, its memory shared by all): in one process
    that builds many times (``mentormemed serve``) every build after the first said less, its
    warnings included. Each build starts with that memory empty."""
    from pelican.log import LimitFilter, console

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    quiet = console.quiet
    console.quiet = True
    try:
        yield
    finally:
        console.quiet = quiet


def _is_replaceable(output: Path) -> bool:
    return not output.exists() or (
        output.is_dir() and (not any(output.iterdir()) or (output / BUILD_MARKER).exists())
    )


def build_site(
    network: Network,
    output: Path,
    *,
    content: Path | None = None,
    site_url: str = DEFAULT_SITE_URL,
    repository_url: str = DEFAULT_REPOSITORY_URL,
    node_modules: Path | None = None,
    cache_dir: Path | None = None,
    ledger: Path | None = None,
    as_of: dt.date | None = None,
) -> Path:
    """Build ``network`` (taken as already validated) into ``output``, replacing it whole.

    ``ledger``: a request ledger file; with it the outcomes page, the institution reports and
    the public mentors' records are built. ``as_of`` (default today): the day profile
    freshness is judged on.

    With ``cache_dir``, pages whose content did not change since the build that made the
    current ``output`` are reused from it (:mod:`generator.site.page_writer`).
    Raises :class:`SiteBuildError` when the build fails; ``output`` is then untouched.
    """
    from pelican import Pelican

    if cache_dir is not None:
        _check_cache_dir(cache_dir, content)
    if ledger is not None and not ledger.is_file():
        raise SiteBuildError(f"{ledger}: no such ledger file (--ledger, MENTORMEMED_LEDGER).")
    site_url = _check_url(site_url, "site address")
    repository_url = _check_url(repository_url, "repository address")
    output = output.resolve()
    if not _is_replaceable(output):
        raise SiteBuildError(
            f"{output} is not empty and was not made by `mentormemed build`: choose another --output "
            "folder (the build replaces the whole folder)."
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-", dir=output.parent))
    try:
        with tempfile.TemporaryDirectory(prefix="mentormemed-empty-") as empty:
            settings = pelican_settings(
                content or Path(empty),
                staging,
                network,
                site_url,
                repository_url,
                node_modules or project_root() / "node_modules",
                ledger=ledger,
                as_of=as_of,
                stale_after_months=network.stale_after_months,
            )
            mentors = len(network.mentors)
            del network  # the generator takes it from the settings, and lets it go once exported
            build_id = uuid.uuid4().hex
            settings["MENTORMEMED_BUILD_ID"] = build_id
            previous_files: set[str] | None = None
            if cache_dir is not None:
                previous_id = previous_build_id(output)
                settings["MENTORMEMED_CACHE_DIR"] = str(cache_dir)
                settings["MENTORMEMED_PREVIOUS_OUTPUT"] = str(output)
                settings["MENTORMEMED_PREVIOUS_BUILD_ID"] = previous_id
                previous_files = load_files(cache_dir, previous_id) if previous_id else None
                # the previous output's file list is known: write only what changed onto it
                settings["MENTORMEMED_OVERLAY"] = previous_files is not None
            with _quiet_pelican():
                Pelican(settings).run()
    except (SiteBuildError, ContentError):
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except Exception as exc:  # Pelican and Jinja raise many kinds; the CLI reports one
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildError(f"the site could not be built: {type(exc).__name__}: {exc}") from exc
    kept = kept_pages(staging)
    if kept is not None and previous_files is not None:
        try:
            files = apply_partial(staging, output, kept, previous_files)
        except OSError as exc:
            raise SiteBuildError(
                f"the changed files could not be written into {output}: {exc}; the next build replaces "
                "the whole folder."
            ) from exc
    else:
        # the list is only for the next build's cache: without one, the output is not walked
        files = staged_files(staging) if cache_dir is not None else []
        _swap(staging, output)
    if cache_dir is not None:
        save_files(cache_dir, build_id, files)
    log.info("built %d mentor pages into %s", mentors, output)
    return output


def previous_build_id(output: Path) -> str | None:
    """The id the build that made ``output`` wrote into its marker file, if any."""
    if (output / APPLYING_MARKER).exists():
        return None  # a partial build stopped half-way: nothing in it can be trusted
    try:
        text = (output / BUILD_MARKER).read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("build "):
            return line.removeprefix("build ").strip() or None
    return None


def _swap(staging: Path, output: Path) -> None:
    staging.chmod(0o755)
    old = None
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        old.rmdir()
        output.rename(old)
    staging.rename(output)
    if old is not None:
        _remove_in_background(old)


def _remove_in_background(folder: Path) -> None:
    """Delete the replaced output without making the build wait (10,000 folders take a second).

    ``rm`` runs detached: the shell that starts it returns at once. Where there is no ``rm``,
    or it cannot start, the folder is deleted here. A deletion cut short leaves a
    ``.<name>.old-*`` folder that the next build removes (:func:`_remove_leftovers`).
    """
    if os.name == "posix" and shutil.which("rm") and shutil.which("sh"):
        try:
            subprocess.run(
                ["sh", "-c", 'rm -rf -- "$1" >/dev/null 2>&1 &', "sh", str(folder)],
                check=True,
                stdin=subprocess.DEVNULL,
                timeout=10,
            )
            return
        except (OSError, subprocess.SubprocessError):
            pass
    shutil.rmtree(folder, ignore_errors=True)


def _remove_leftovers(output: Path) -> None:
    for leftover in output.parent.glob(f".{output.name}.old-*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def build(
    content: Path,
    output: Path,
    *,
    site_url: str = DEFAULT_SITE_URL,
    repository_url: str = DEFAULT_REPOSITORY_URL,
    node_modules: Path | None = None,
    cache_dir: Path | None = None,
    ledger: Path | None = None,
    as_of: dt.date | None = None,
    federation: Path | None = None,
) -> BuiltSite:
    """Validate ``content`` and build it into ``output``; returns how many mentors and programs.

    With ``federation`` (the folder of snapshots, ``federation/``), the mentors of the peers
    listed in ``content/federation.yml`` are merged in from their committed snapshots
    (:func:`load_federation`); a snapshot that breaks the rules stops the build.

    Raises :class:`~generator.core.problems.ContentError` for invalid content (nothing is built)
    and :class:`SiteBuildError` when the build itself fails, or when ``cache_dir`` is a symbolic
    link or lies inside ``content`` (:func:`generator.core.cache.check_cache_dir`).
    """
    from generator.content.build_output import build_output_problems
    from generator.content.validation import rules_digest, validate_content
    from generator.core.cache import gc_paused
    from generator.site.patch import (
        Patched,
        Refused,
        content_tree,
        forget_patch_state,
        pack_content,
        patch_settings,
        save_patch_state,
        try_patch,
    )

    settings = ""
    tree = None
    refused: str | None = None
    if cache_dir is not None:
        _check_cache_dir(cache_dir, content)
        # one edited bio: patched onto the output when that is provably what a build writes
        url = _check_url(site_url, "site address")
        rules = rules_digest()  # the vocabulary's, for the settings and the changed files' keys
        settings = patch_settings(
            site_url=url,
            repository_url=_check_url(repository_url, "repository address"),
            as_of=as_of or today(),
            ledger=ledger,
            federation=federation,
            node_modules=node_modules or project_root() / "node_modules",
            rules=rules,
        )
        outcome = (
            Refused("build output is committed or inside the content folder")
            if build_output_problems(content)  # the validation reports it; no cache is read
            else try_patch(
                content,
                output,
                cache_dir,
                build_id=previous_build_id(output.resolve()),
                settings=settings,
                site_url=url,
                rules=rules,
            )
        )
        if isinstance(outcome, Patched):
            return BuiltSite(
                outcome.mentors, outcome.programs, outcome.peer_mentors, outcome.peers, outcome.bios
            )
        refused = outcome.reason
        # before the files are read: an edit while building is seen next time
        with contextlib.suppress(OSError):  # no content folder: the validation says so
            tree = content_tree(content)
    with gc_paused():
        result = validate_content(content, cache_dir=cache_dir)
        result.raise_for_problems()
        peers = load_federation(federation, result.federation) if federation is not None else []
        built = BuiltSite(
            len(result.mentors),
            len(result.programs),
            sum(len(p.snapshot.export.mentors) for p in peers),
            len(peers),
            patch_refused=refused,
        )
        # what a patch will need of the content, packed while the build runs
        content_record = pack_content(tree, result.checks) if tree is not None and result.checks else None
        del tree
        # The build keeps only the public export once it is made: hand the records over
        # without keeping a reference here (at 50,000 mentors they weigh 100 MB).
        months = result.network.stale_after_months if result.network else DEFAULT_STALE_AFTER_MONTHS
        handover = [Network(result.programs, result.mentors, stale_after_months=months, peers=peers)]
        del peers
        del result
        build_site(
            handover.pop(),
            output,
            content=content,
            site_url=site_url,
            repository_url=repository_url,
            node_modules=node_modules,
            cache_dir=cache_dir,
            ledger=ledger,
            as_of=as_of,
        )
    if cache_dir is not None:
        build_id = previous_build_id(output.resolve())
        if build_id is not None and content_record is not None:
            save_patch_state(
                cache_dir,
                output.resolve(),
                build_id=build_id,
                settings=settings,
                content_dir=content,
                content=content_record,
                counts=(built.mentors, built.programs, built.peer_mentors, built.peers),
            )
        else:
            forget_patch_state(cache_dir)
    return built


def load_federation(folder: Path, federation: Federation | None) -> list[PeerDirectory]:
    """The committed snapshots of the peers ``federation`` lists, checked again; a listed peer
    with no snapshot yet, a snapshot of a peer no longer listed and probable duplicates across
    networks are logged as warnings. Raises :class:`SiteBuildError` for a snapshot that breaks
    the rules."""
    from generator.federation.errors import SnapshotError
    from generator.federation.snapshots import load_peers

    try:
        loaded = load_peers(folder, federation)
    except SnapshotError as exc:
        raise SiteBuildError(f"peer '{exc.peer}': {exc.message}") from None
    for peer_id in loaded.missing:
        log.warning(
            "peer '%s' has no snapshot in %s yet: run `mentormemed federation fetch`.", peer_id, folder
        )
    for peer_id in loaded.unlisted:
        log.warning("%s/%s.json is not a peer of federation.yml: it is not published.", folder, peer_id)
    return loaded.peers
