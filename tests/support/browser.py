"""Accessibility checks (axe-core from npm) and where the browser tests put screenshots."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.support.paths import ROOT

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
#: Screenshots the browser tests take, to be looked at (MENTORMEMED_SCREENSHOTS to move them).
SCREENSHOTS = Path(os.environ.get("MENTORMEMED_SCREENSHOTS", ROOT / ".pytest_cache" / "screenshots"))
#: page.evaluate(IDLE_JS) resolves once the page has been idle (requestIdleCallback) and a little
#: after: the moment a person reading the page gives it (match.js warms the matcher up then).
IDLE_JS = (
    "() => new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 50), { timeout: 3000 }))"
)
#: page.evaluate(MATCH_SPLIT_JS) on /match/: [the page and the files it asked for before it was
#: ready (match.js marks "match-ready"), the files asked for since], by resource timing.
MATCH_SPLIT_JS = """
() => {
  const mark = performance.getEntriesByName("match-ready")[0];
  const before = [location.href];
  const after = [];
  for (const r of performance.getEntriesByType("resource")) {
    (r.startTime < mark.startTime ? before : after).push(r.name);
  }
  return [before, after];
}
"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 AA and best-practice violations on the page: rule ids and targets."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # evaluate is not subject to the page's CSP
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations: list[dict[str, Any]] = result["violations"]
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in violations]
