"""The scheduled bot run's API calls at 2,000 open requests, counted on the local GitHub.

Prints the calls of: the rebuild of a missing snapshot, a run with nothing changed, a run
after 25 issues changed, and a run on which 200 pairs are due a check-in, each beside the
budget of issue 15 (2 × open / 100 + changed × 8 + 2) and GITHUB_TOKEN's 1,000 calls an hour.

    python benchmarks/bench_bot_schedule.py [--open 2000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from generator.bot.settings import BotSettings
from generator.bot.sweep import sweep
from tests.support.bot_scale import budget, client, context, fill, scale_content
from tests.support.fake_github import FakeGitHub
from tests.support.fake_github.fixtures import REPOSITORY


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=2000, help="open request issues")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeGitHub() as fake:
        fake.add_repo(REPOSITORY)
        content = scale_content(Path(tmp) / "content")
        numbers = fill(fake, args.open)
        ctx = context(content, fake)
        settings = BotSettings(rebuild_issues_per_run=args.open)
        gh = client(fake)
        rows = []

        def run(label: str, changed: int, snap: object) -> object:
            start, began = len(fake.calls), time.perf_counter()
            new, report = sweep(gh, ctx, fake.now, snap, settings=settings)  # type: ignore[arg-type]
            calls = len(fake.calls) - start
            rows.append(
                (
                    label,
                    calls,
                    report.read,
                    len(report.written),
                    budget(args.open, changed),
                    time.perf_counter() - began,
                )
            )
            return new

        snap = run("rebuild (no snapshot)", 0, None)
        snap = run("nothing changed", 0, snap)
        repo = fake.repo()
        for number in numbers[:25]:
            fake.add_comment(repo, number, "/met", author=f"mentee-{number - numbers[0]}")
        fake.advance(hours=1)
        snap = run("25 issues changed", 25, snap)
        snap = run("nothing changed again", 0, snap)
        print(f"scheduled run over {args.open} open requests (GITHUB_TOKEN: 1000 calls an hour)")
        print(f"{'run':<24}{'API calls':>10}{'read':>7}{'written':>9}{'budget':>8}{'seconds':>9}")
        for label, calls, read, written, limit, seconds in rows:
            print(f"{label:<24}{calls:>10}{read:>7}{written:>9}{limit:>8}{seconds:>9.1f}")
        print("rebuild budget: spread over runs of rebuild_issues_per_run issues (schemas/bot.yml)")


if __name__ == "__main__":
    main()
