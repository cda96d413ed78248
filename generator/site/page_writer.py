"""Rendering the site's pages: in parallel across cores, and only the pages that changed.

The directory generator queues every page (:meth:`PageWriter.add`) and :meth:`PageWriter.run`
writes them all. For each page it computes a key, the SHA-256 of

- the source of the page's template and of every template it extends, includes or imports,
- every value those templates read (found with ``jinja2.meta``: the free variables of the
  templates, looked up in the page's context) — a mentor record, the counts, the page's own
  relative ``SITEURL``…,
- the code fingerprint (:func:`generator.core.cache.code_fingerprint`).

When the previous build wrote the same page with the same key, and the file is still the one it
wrote (same size and modification time), the file is hard-linked into the new output instead of
being rendered. A value without a content hash (a function, say) makes its page always render.

With many pages and more than one core, the work is split between forked worker processes
(each renders and writes its share and sends back only the page names and keys). Pelican's
writer is not used for these pages: it would copy Pelican's whole context for every page; the
relative ``SITEURL`` is computed the same way (:func:`pelican.utils.get_relative_path`).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, meta
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pydantic import BaseModel, ConfigDict

from generator.core.cache import (
    CacheFile,
    Fingerprinter,
    Uncacheable,
    code_fingerprint,
    load_cache,
    save_cache,
)
from generator.core.parallel import parallel_map, worker_count
from generator.site.overlay import KEPT_FILE

log = logging.getLogger(__name__)

MANIFEST_FILE = "pages.json.gz"


@dataclass(frozen=True)
class Written:
    """What the manifest remembers of one page: its key and the file's size and mtime."""

    key: str
    size: int
    mtime_ns: int


@dataclass
class Manifest:
    build_id: str
    pages: dict[str, Written] = field(default_factory=dict)


class StoredManifest(BaseModel):
    """The manifest as the cache file holds it: page name → (key, size, mtime_ns)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    build_id: str
    pages: dict[str, tuple[str, int, int]]


class ManifestCache(CacheFile[StoredManifest]):
    """The cache file of the pages written by the previous build."""


def load_manifest(path: Path) -> Manifest | None:
    """The manifest stored at ``path``, or ``None`` when there is none to trust."""
    stored = load_cache(path, ManifestCache)
    if stored is None:
        return None
    pages = {name: Written(*page) for name, page in stored.data.pages.items()}
    return Manifest(stored.data.build_id, pages)


def save_manifest(path: Path, manifest: Manifest) -> None:
    pages = {name: (w.key, w.size, w.mtime_ns) for name, w in sorted(manifest.pages.items())}
    save_cache(path, ManifestCache, StoredManifest(build_id=manifest.build_id, pages=pages))


@dataclass
class Job:
    name: str
    template: str
    kwargs: dict[str, Any]


@dataclass
class Stats:
    rendered: int = 0
    reused: int = 0
    workers: int = 1


class PageWriter:
    """Queue pages, then render or reuse them all into ``output``."""

    def __init__(
        self,
        env: Environment,
        context: Mapping[str, Any],
        output: Path,
        *,
        cache_dir: Path | None = None,
        previous_output: Path | None = None,
        previous_build_id: str | None = None,
        workers: int | None = None,
        overlay: bool = False,
    ) -> None:
        self.env = env
        self.context = context
        self.output = output
        self.cache_dir = cache_dir
        self.previous_output = previous_output
        #: a partial build (:mod:`generator.site.overlay`): an unchanged page stays in the
        #: previous output (checked by one stat), only changed pages are written to ``output``
        self.overlay = overlay
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.jobs: list[Job] = []
        self.fingerprints = Fingerprinter()
        for value in context.values() if cache_dir is not None else ():
            with contextlib.suppress(Uncacheable):
                self.fingerprints.remember(value)
        self._variables: dict[str, tuple[bytes, tuple[str, ...]]] = {}
        self.previous: Manifest | None = None
        if cache_dir is not None and previous_output is not None and previous_build_id:
            stored = load_manifest(cache_dir / MANIFEST_FILE)
            if stored is not None and stored.build_id == previous_build_id:
                self.previous = stored
        self.stats = Stats()

    def add(self, name: str, template: str, **kwargs: Any) -> None:
        """Queue the page ``name`` (a path in the output) rendered from ``template`` (a name)."""
        self.jobs.append(Job(name, template, kwargs))

    # ------------------------------------------------------------------ keys

    def _template_info(self, template: str) -> tuple[bytes, tuple[str, ...]]:
        """The hash of the sources of ``template`` and of the templates it uses, and their free variables."""
        known = self._variables.get(template)
        if known is not None:
            return known
        digest = hashlib.sha256()
        names: set[str] = set()
        seen: set[str] = set()
        todo = [self.env.get_template(template).name or template]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            loader = self.env.loader
            assert loader is not None
            source, _, _ = loader.get_source(self.env, current)
            digest.update(current.encode() + b"\0" + source.encode() + b"\0")
            ast = self.env.parse(source)
            names |= meta.find_undeclared_variables(ast)
            todo.extend(t for t in meta.find_referenced_templates(ast) if t is not None)
        info = (digest.digest(), tuple(sorted(names)))
        self._variables[template] = info
        return info

    @staticmethod
    def _own_values(job: Job) -> dict[str, Any]:
        """The values every page has of its own: its relative ``SITEURL`` and its name."""
        relative = path_to_url(get_relative_path(job.name))
        return {"SITEURL": relative, "localsiteurl": relative, "output_file": job.name}

    def _local_context(self, job: Job) -> Mapping[str, Any]:
        """The page's context as a view (no copy: a reused page only needs a few values of it)."""
        return ChainMap(job.kwargs, self._own_values(job), self.context)  # type: ignore[arg-type]

    def key(self, job: Job, local: Mapping[str, Any]) -> str | None:
        """The page's content key, or ``None`` when some value it reads has no fingerprint."""
        source_hash, variables = self._template_info(job.template)
        digest = hashlib.sha256(code_fingerprint().encode())
        digest.update(job.name.encode() + b"\0" + source_hash)
        try:
            for name in variables:
                if name in local:
                    digest.update(name.encode() + b"=" + self.fingerprints.digest(local[name]))
        except Uncacheable as exc:
            log.debug("page %s is always rendered: %s", job.name, exc)
            return None
        return digest.hexdigest()

    # ------------------------------------------------------------------ writing

    def _reuse(self, name: str, key: str) -> Written | None:
        if self.previous is None or self.previous_output is None:
            return None
        before = self.previous.pages.get(name)
        if before is None or before.key != key:
            return None
        old = Path(sanitised_join(str(self.previous_output), name))
        try:
            stat = old.stat()
        except OSError:
            return None
        if stat.st_size != before.size or stat.st_mtime_ns != before.mtime_ns:
            return None  # changed by hand since: render it again
        if self.overlay:
            return before  # stays where it is: the build applies only what changed onto it
        new = Path(sanitised_join(str(self.output), name))
        new.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(old, new)
        except OSError:
            shutil.copy2(old, new)
        return before

    def _same_as_before(self, name: str, data: bytes) -> Written | None:
        """What the previous build wrote at ``name``, if it is still there and holds ``data``."""
        if self.previous is None or self.previous_output is None:
            return None
        before = self.previous.pages.get(name)
        if before is None or before.size != len(data):
            return None
        old = Path(sanitised_join(str(self.previous_output), name))
        try:
            stat = old.stat()
            if stat.st_size != before.size or stat.st_mtime_ns != before.mtime_ns:
                return None
            return before if old.read_bytes() == data else None
        except OSError:
            return None

    def _do_one(self, index: int) -> tuple[str, Written | None, bool]:
        """Render or reuse the job at ``index``: (page name, what was written, reused?)."""
        job = self.jobs[index]
        # without a cache nothing reads a key: the page is rendered, and no manifest is kept
        key = self.key(job, self._local_context(job)) if self.cache_dir is not None else None
        if key is not None:
            reused = self._reuse(job.name, key)
            if reused is not None:
                return job.name, reused, True
        # the same values as the view, merged in C (dict() of a ChainMap looks every key up)
        values = {**self.context, **self._own_values(job), **job.kwargs}
        html = self.env.get_template(job.template).render(values)
        if key is not None and self.overlay:
            same = self._same_as_before(job.name, html.encode("utf-8"))
            if same is not None:  # rendered again, to the same bytes: the old file stays as it is
                return job.name, Written(key, same.size, same.mtime_ns), True
        path = Path(sanitised_join(str(self.output), job.name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        written = None
        if key is not None:
            stat = path.stat()
            written = Written(key, stat.st_size, stat.st_mtime_ns)
        return job.name, written, False

    def run(self, build_id: str) -> Stats:
        """Write every queued page; remember their keys for the next build under ``build_id``."""
        names = [job.name for job in self.jobs]
        if len(set(names)) != len(names):
            duplicate = next(n for n in names if names.count(n) > 1)
            raise ValueError(f"two pages would be written to {duplicate}")
        results = self._run_all()
        stats = Stats(workers=self.stats.workers)
        manifest = Manifest(build_id)
        for name, written, reused in results:
            if reused:
                stats.reused += 1
            else:
                stats.rendered += 1
            if written is not None:
                manifest.pages[name] = written
        if self.overlay and self.previous is not None:
            kept = sorted(name for name, _, reused in results if reused)
            (self.output / KEPT_FILE).write_text("".join(f"{name}\n" for name in kept), encoding="utf-8")
        if self.cache_dir is not None:
            save_manifest(self.cache_dir / MANIFEST_FILE, manifest)
        self.stats = stats
        log.info("pages: %d rendered, %d reused, %d worker(s)", stats.rendered, stats.reused, stats.workers)
        return stats

    def _warm(self) -> None:
        """Before the workers fork: parse each template once and compute the content hashes of
        the views pages share (a mentor's view is on its page, a directory page, its program's
        and its specialties' pages), so that each worker inherits them instead of computing
        them all again."""
        for template in sorted({job.template for job in self.jobs}):
            self._template_info(template)
        for job in self.jobs:
            for value in job.kwargs.values():
                for item in value if isinstance(value, list | tuple) else (value,):
                    fingerprint = getattr(item, "fingerprint", None)
                    if callable(fingerprint) and not isinstance(item, type):
                        fingerprint()

    def _run_all(self) -> list[tuple[str, Written | None, bool]]:
        self.stats.workers = worker_count(len(self.jobs), self.workers)
        if self.cache_dir is not None and self.stats.workers > 1:
            self._warm()
        return parallel_map(self._do_one, range(len(self.jobs)), self.workers)
