"""A recognition record as a document of its own: HTML (the theme's ``_record.html`` in a page
with its print CSS inlined) and PDF (that page printed by headless Chromium).

The CLI's ``mentormemed recognition`` uses it for any mentor, public or private: the record
goes to the mentor or their coordinator, not to the site.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from generator.core.files import write_atomically
from generator.core.paths import project_root
from generator.reports.recognition import RecognitionRecord
from generator.site.errors import SiteBuildError

#: Debian's Chromium; ``--chromium`` or ``MENTORMEMED_CHROMIUM`` give another.
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-pdf-header-footer",
)


def record_html(record: RecognitionRecord, network_name: str) -> str:
    """The record as one self-contained HTML page (no script, no outside file)."""
    theme = project_root() / "theme"
    env = Environment(
        loader=FileSystemLoader(theme / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    css = (theme / "static" / "css" / "reports.css").read_text(encoding="utf-8")
    return env.get_template("record_document.html").render(
        record=record.content, checksum=record.checksum, network_name=network_name, css=css
    )


def print_pdf(html: str, target: Path, chromium: str = DEFAULT_CHROMIUM, timeout: float = 60) -> None:
    """Print ``html`` to ``target`` with headless Chromium; written whole or not at all."""
    if not Path(chromium).is_file():
        raise SiteBuildError(f"{chromium} is missing: install Chromium or give its path with --chromium.")
    with tempfile.TemporaryDirectory(prefix="mentormemed-record-") as tmp:
        page = Path(tmp) / "record.html"
        page.write_text(html, encoding="utf-8")
        pdf = Path(tmp) / "record.pdf"
        try:
            subprocess.run(
                [
                    chromium,
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={tmp}/profile",
                    f"--print-to-pdf={pdf}",
                    page.as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise SiteBuildError(f"Chromium could not print the record: {type(exc).__name__}") from exc
        if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
            raise SiteBuildError("Chromium wrote no PDF.")
        write_atomically(target, pdf.read_bytes())
