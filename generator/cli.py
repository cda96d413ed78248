"""The ``mentormemed`` command line: parses arguments, calls the library, prints reports."""

from __future__ import annotations

import dataclasses
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from generator.content.reporters import REPORTERS, text_report
from generator.core.defaults import DEFAULT_REPOSITORY_URL, DEFAULT_SITE_URL
from generator.core.problems import ContentError

if TYPE_CHECKING:
    pass

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

_REPOSITORY_OPTION = click.option(
    "--repository-url",
    default=DEFAULT_REPOSITORY_URL,
    show_default=True,
    help="GitHub repository whose issue form 'Request this mentor' opens.",
)
_CONTENT_OPTION = click.option(
    "--content",
    type=click.Path(path_type=Path),
    default=Path("content"),
    show_default=True,
    help="Folder holding mentors/ and programs/.",
)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="mentormemed")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to standard error.")
def cli(verbose: bool) -> None:
    """MentorMeMed: a federated directory of mentors in medicine, and mentor-team matching.

    \b
    Example:
        mentormemed validate
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s: %(message)s"
    )


def _fail_on_content_error(exc: ContentError) -> None:
    click.echo(text_report(exc.problems), err=True)
    sys.exit(1)


@cli.command(short_help="Check mentor and program files; report every problem.")
@_CONTENT_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="text for people, github for pull-request annotations, json for tools.",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(content: Path, fmt: str, paths: tuple[Path, ...]) -> None:
    """Check mentor and program files and report every problem with its file and line.

    With PATHS, only those files or folders are reported on; the rest of the
    content is still read to check rules across files (the program exists, ids
    are unique, nobody is listed twice), and a clash between a given file and
    another is reported on the given file. Symbolic links inside the content
    folder are refused, never followed. Exit status 0 when clean, 1 otherwise.

    \b
    Examples:
        mentormemed validate
        mentormemed validate content/mentors/lakeshore-som/
        mentormemed validate --format github
    """
    from generator.content.validation import validate_content

    try:
        result = validate_content(content, only=list(paths) or None)
    except ContentError as exc:  # the vocabulary itself is broken
        _fail_on_content_error(exc)
        return
    click.echo(REPORTERS[fmt](result.problems, result.files_checked))
    _freshness_warnings(content, result, fmt)
    sys.exit(0 if result.ok else 1)


def _freshness_warnings(content: Path, result: Any, fmt: str) -> None:
    """Profiles due for confirmation or stale (docs/freshness.md), on standard error: they
    never fail validation. The json format keeps its shape (warnings are left out)."""
    from generator.content.freshness import freshness_warnings, policy_of
    from generator.core.clock import today

    if fmt == "json" or not result.mentors:
        return
    for warning in freshness_warnings(content, result.mentors, today(), policy_of(result.network)):
        if fmt == "github":
            click.echo(
                f"::warning file={warning.path},line={warning.line},title={warning.code}::{warning.message}",
                err=True,
            )
        else:
            click.echo(f"{warning.path}:{warning.line}: warning[{warning.code}]: {warning.message}", err=True)


@cli.command(short_help="Generate or check the JSON Schemas from the models.")
@click.option(
    "--write",
    "mode",
    flag_value="write",
    help="Write schemas/*.schema.json. Give one of --write, --check, --print.",
)
@click.option(
    "--check",
    "mode",
    flag_value="check",
    help="Fail if the committed schemas differ from the models.",
)
@click.option("--print", "mode", flag_value="print", default=True, help="Print the schemas (default).")
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the schema files (default: the project's schemas/).",
)
def schema(mode: str, directory: Path | None) -> None:
    """Generate the JSON Schemas of programs, mentors and requests from the models.

    The pydantic models are the one source of truth; the files in schemas/ are
    generated and must not be edited by hand.

    \b
    Examples:
        mentormemed schema --write
        mentormemed schema --check
    """
    from generator.content.schema_files import render_schemas, schema_dir, stale_schemas, write_schemas

    directory = directory or schema_dir()
    if mode == "write":
        for path in write_schemas(directory):
            click.echo(f"wrote {path}")
        return
    if mode == "check":
        stale = stale_schemas(directory)
        for path in stale:
            click.echo(
                f"{path}: differs from the models; run `mentormemed schema --write` and commit it.",
                err=True,
            )
        if stale:
            sys.exit(1)
        click.echo("Schemas are up to date.")
        return
    for name, text in render_schemas().items():
        click.echo(f"// {name}\n{text}")


@cli.command(short_help="Write or check .github/CODEOWNERS from the programs.")
@_CONTENT_OPTION
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=Path(".github/CODEOWNERS"),
    show_default=True,
    help="The CODEOWNERS file to write or check.",
)
@click.option("--check", is_flag=True, help="Fail if the file differs from network.yml and the programs.")
def codeowners(content: Path, output: Path, check: bool) -> None:
    """Write .github/CODEOWNERS: the core maintainers of network.yml own everything, each
    program's maintainers only its mentor folder and program file, each peer network's
    reviewers (federation.yml) only its snapshots.

    \b
    Examples:
        mentormemed codeowners
        mentormemed codeowners --check
    """
    from generator.content.codeowners import render_codeowners
    from generator.content.peers import FEDERATION_FILE
    from generator.content.validation import NETWORK_FILE, validate_content

    only = [content / NETWORK_FILE, content / "programs"]
    if (content / FEDERATION_FILE).is_file():
        only.append(content / FEDERATION_FILE)
    result = validate_content(content, only=only)
    if not result.ok or result.network is None:
        click.echo(text_report(result.problems, result.files_checked), err=True)
        sys.exit(1)
    text = render_codeowners(
        result.network,
        result.programs,
        content_prefix=content.as_posix().strip("/"),
        federation=result.federation,
    )
    current = output.read_text(encoding="utf-8") if output.exists() else None
    if check:
        if current != text:
            click.echo(f"{output}: out of date; run `mentormemed codeowners` and commit it.", err=True)
            sys.exit(1)
        click.echo(f"{output} is up to date.")
        return
    if current != text:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(f"{output} is up to date.")


# --------------------------------------------------------------------------- request issues


@cli.command("issue-form", short_help="Generate or check the request and profile issue forms.")
@click.option(
    "--write",
    "mode",
    flag_value="write",
    help="Write the files. Give one of --write, --check, --print.",
)
@click.option("--check", "mode", flag_value="check", help="Fail if the committed files are out of date.")
@click.option("--print", "mode", flag_value="print", default=True, help="Print the files (default).")
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path(".github/ISSUE_TEMPLATE"),
    show_default=True,
    help="Folder of the issue templates.",
)
@click.option(
    "--site-url",
    default=DEFAULT_SITE_URL,
    show_default=True,
    help="The directory site, linked from the form as the private way to look for mentors.",
)
def issue_form(mode: str, directory: Path, site_url: str) -> None:
    """Generate the issue forms and the template chooser config.

    Writes mentor-request.yml (from the vocabulary and the Request model: the field ids
    are the Request fields, the dropdowns the vocabulary labels), config.yml (blank
    issues off) and the profile forms profile-add-mentor.yml, profile-update.yml and
    profile-add-program.yml (from the Mentor and Program models and the vocabulary).
    They are generated: edit generator/requests/issue_form.py or
    generator/profiles/forms.py, not the files.

    \b
    Examples:
        mentormemed issue-form --write
        mentormemed issue-form --check
    """
    from generator.profiles import forms as profile_forms
    from generator.requests.issue_form import IssueFormConfigError, render_files, stale_files, write_files

    try:
        if mode == "write":
            changed = write_files(directory, site_url) + profile_forms.write_files(directory)
            for path in changed:
                click.echo(f"wrote {path}")
            if not changed:
                click.echo(f"{directory} is up to date.")
            return
        if mode == "check":
            stale = stale_files(directory, site_url) + profile_forms.stale_files(directory)
            for path in stale:
                click.echo(
                    f"{path}: out of date; run `mentormemed issue-form --write` and commit it.", err=True
                )
            if stale:
                sys.exit(1)
            click.echo(f"{directory} is up to date.")
            return
        for name, text in {**render_files(site_url), **profile_forms.render_files()}.items():
            click.echo(f"# {name}\n{text}")
    except (IssueFormConfigError, profile_forms.ProfileFormConfigError) as exc:
        click.echo(f"cannot generate the issue form: {exc}", err=True)
        sys.exit(1)


@cli.command("parse-issue", short_help="Read a mentor request from an issue body.")
@click.argument("body_file", metavar="FILE", type=click.File("rb"))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools.",
)
@click.option(
    "--repository-url",
    default=DEFAULT_REPOSITORY_URL,
    show_default=True,
    help="The repository whose request form a wrong body is pointed to.",
)
def parse_issue(body_file: Any, fmt: str, repository_url: str) -> None:
    """Read the request in an issue body written by the request form (FILE; - for stdin).

    Prints the request, or every problem in words a mentee understands (exit status 1).
    The body is untrusted: headings must be the form's, answers must be its options,
    and nothing of the body is logged.

    \b
    Examples:
        mentormemed parse-issue body.md
        gh issue view 12 --json body --jq .body | mentormemed parse-issue - --format json
    """
    import json

    from generator.requests.issue_parser import IssueFormError, IssueProblem, parse_issue_body

    problems: list[IssueProblem]
    try:
        limit = 4 * 65_536  # bytes of the longest body GitHub takes (65,536 characters)
        raw = body_file.read(limit + 1)
        try:
            # a longer file is cut, maybe inside a character: it is refused as too long anyway
            body = raw.decode("utf-8", errors="ignore" if len(raw) > limit else "strict")
        except UnicodeDecodeError:
            problems = [IssueProblem("not-utf8", "The file is not UTF-8 text, so it is not an issue body.")]
        else:
            request = parse_issue_body(body, repository_url=repository_url)
            if fmt == "json":
                click.echo(json.dumps(request.model_dump(mode="json"), indent=2, ensure_ascii=False))
            else:
                for name, value in request.model_dump(mode="json").items():
                    shown = ", ".join(map(str, value)) if isinstance(value, list) else value
                    click.echo(f"{name}: {'' if shown is None else shown}".rstrip())
            return
    except IssueFormError as exc:
        problems = exc.problems
    except Exception as exc:  # never a traceback, and never the body, for any input
        problems = [
            IssueProblem("internal-error", f"mentormemed could not read this body ({type(exc).__name__}).")
        ]
    if fmt == "json":
        click.echo(json.dumps({"errors": [p.as_dict() for p in problems]}, indent=2, ensure_ascii=False))
    else:
        click.echo("This request cannot be used yet:", err=True)
        for problem in problems:
            click.echo(f"- {problem.message}", err=True)
    sys.exit(1)


@cli.command("demo-data", short_help="Write a synthetic network of fictional mentors.")
@click.option(
    "--mentors",
    type=click.IntRange(0, 200_000),
    default=1000,
    show_default=True,
    help="How many mentors.",
)
@click.option(
    "--programs",
    type=click.IntRange(1, 5_000),
    default=20,
    show_default=True,
    help="How many programs.",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Random seed: the same seed gives the same files.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to create (must be empty or new).",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it already has files.")
@click.option(
    "--bios",
    type=click.Choice(["short", "realistic"]),
    default="short",
    show_default=True,
    help="Bio style: short (30–60 words, few phrases) or realistic (100–220 words, a large "
    "everyday vocabulary plus places, schools, research topics and hobbies; the benchmarks' default).",
)
def demo_data(mentors: int, programs: int, seed: int, output: Path, force: bool, bios: str) -> None:
    """Write a valid synthetic network of fictional mentors (for benchmarks and tests).

    \b
    Example:
        mentormemed demo-data --mentors 10000 --programs 200 \
            --seed 7 --output /tmp/network
    """
    from generator.demo.bios import BiosUnavailable
    from generator.demo.network import BioStyle, write_network

    try:
        count = write_network(output, mentors, programs, seed, force=force, bios=cast("BioStyle", bios))
    except FileExistsError:
        raise click.UsageError(f"{output} already has files; choose a new folder or add --force.") from None
    except BiosUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {count} files to {output}")


# --------------------------------------------------------------------------- matching

_LOAD_OPTION = click.option(
    "--load",
    "load_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help='JSON object of mentor id → current mentees, e.g. {"ana-example": 2}.',
)


@cli.command("demo-ledger", short_help="Write a fictional request ledger for a network.")
@_CONTENT_OPTION
@click.option(
    "--seed", type=int, default=16, show_default=True, help="Random seed: the same seed gives the same file."
)
@click.option(
    "--requests",
    "count",
    type=click.IntRange(0, 100_000),
    default=320,
    show_default=True,
    help="How many requests.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The ledger file to write (replaced whole).",
)
def demo_ledger(content: Path, seed: int, count: int, output: Path) -> None:
    """Write a fictional request ledger placing made-up requests with the mentors of CONTENT
    over the academic year before 15 March 2026 and that year to date (for local builds and tests of the
    outcomes page, the reports and the mentoring records).

    \b
    Example:
        mentormemed demo-ledger --output content/ledger.sample.json
    """
    from generator.content.validation import load_network
    from generator.demo.ledger import sample_ledger
    from generator.requests.ledger import dump_ledger

    try:
        network = load_network(content)
    except ContentError as exc:
        _fail_on_content_error(exc)
        return
    ledger = sample_ledger(network.mentors, seed=seed, requests=count)
    dump_ledger(ledger, output)
    click.echo(f"Wrote {len(ledger.requests)} request(s) to {output}")


@cli.command(short_help="Make a mentor's mentoring record for one academic year.")
@_CONTENT_OPTION
@click.option("--mentor", "mentor_id", required=True, help="The mentor's id.")
@click.option("--year", required=True, help="The academic year, July to June, written 2025-26.")
@click.option(
    "--ledger",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    envvar="MENTORMEMED_LEDGER",
    show_envvar=True,
    help="The request ledger to count from.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "json", "pdf"]),
    default="html",
    show_default=True,
    help="html: a printable page; json: the record's content (what its checksum covers); "
    "pdf: printed by headless Chromium.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="File to write (required for pdf; default: standard output).",
)
@click.option(
    "--site-url",
    default=DEFAULT_SITE_URL,
    show_default=True,
    help="Address the site is published at (the record's stable address).",
)
@click.option(
    "--chromium",
    default="/usr/bin/chromium",
    envvar="MENTORMEMED_CHROMIUM",
    show_default=True,
    help="Chromium to print the PDF with.",
)
def recognition(
    content: Path,
    mentor_id: str,
    year: str,
    ledger: Path,
    fmt: str,
    output: Path | None,
    site_url: str,
    chromium: str,
) -> None:
    """Make the mentoring record of one mentor for one academic year: mentees mentored,
    their stages and the areas covered (never a mentee's name or identity), teams served
    on, check-ins answered, months active and the mentees' public thank-you notes, with the
    checksum of its content. Works for every mentor, whatever their `recognition`: a
    private record is for the mentor and their coordinator, and is never published.

    \b
    Examples:
        mentormemed recognition --mentor ana-example --year 2025-26 --ledger ledger.json
        mentormemed recognition --mentor ana-example --year 2025-26 --ledger ledger.json \
            --format pdf --output ana-2025-26.pdf
    """
    from generator.content.validation import load_network
    from generator.content.vocabulary import vocabulary
    from generator.reports.recognition import recognition_record
    from generator.reports.years import AcademicYear, YearError
    from generator.requests.ledger import LedgerError, load_ledger
    from generator.site.build import SiteBuildError
    from generator.site.record_document import print_pdf, record_html

    try:
        academic_year = AcademicYear.parse(year)
        loaded = load_ledger(ledger)
    except (YearError, LedgerError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    try:
        network = load_network(content)
    except ContentError as exc:
        _fail_on_content_error(exc)
        return
    mentor = network.mentors.get(mentor_id)
    if mentor is None:
        click.echo(
            f"error: no mentor '{mentor_id}' in {content}: give the id of the mentor's file.", err=True
        )
        sys.exit(2)
    record = recognition_record(
        loaded, mentor, network.programs.get(mentor.program), academic_year, vocabulary(), site_url
    )
    name = network.network.name if network.network else "MentorMeMed"
    if fmt == "json":
        data = record.json_bytes
        if output:
            output.write_bytes(data)
        else:
            click.echo(data.decode(), nl=False)
    elif fmt == "html":
        html = record_html(record, name)
        if output:
            output.write_text(html, encoding="utf-8")
        else:
            click.echo(html)
    else:
        if output is None:
            click.echo("error: --format pdf needs --output FILE.", err=True)
            sys.exit(2)
        try:
            print_pdf(record_html(record, name), output, chromium)
        except SiteBuildError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
    if output:
        click.echo(
            f"Wrote the {academic_year} record of {mentor_id} to {output} ({record.checksum})", err=True
        )


@cli.command(short_help="Suggest a mentor team for one request, with reasons.")
@click.option(
    "--request",
    "request_file",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The mentee's request (YAML or JSON, schemas/request.schema.json).",
)
@_CONTENT_OPTION
@_LOAD_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown", "text"]),
    default="text",
    show_default=True,
    help="text for people, markdown for the request bot, json for tools.",
)
def match(request_file: Path, content: Path, load_file: Path | None, fmt: str) -> None:
    """Suggest a mentor team for one request, with the reasons for each mentor.

    The team covers the needs named in the request, includes a mentor who shares an
    affinity asked for where one is free, prefers mentors from different programs and
    spreads load: a mentor near capacity counts for less. When no team meets the
    request's musts, the explanation names the requirement that emptied the pool and
    the one to relax. Exit status 0 with a result (even a partial team), 1 on invalid
    input.

    \b
    Example:
        mentormemed match --request request.yml --load load.json --format markdown
    """
    import json

    from generator.content.models import Request
    from generator.content.validation import load_record
    from generator.content.vocabulary import vocabulary
    from generator.matching.config import matching_config
    from generator.matching.loads import read_load
    from generator.matching.network import load_matchable
    from generator.matching.report import team_dict, team_markdown, team_text
    from generator.matching.team import match_team

    try:
        config = matching_config()
        vocab = vocabulary()
        request = load_record(request_file, Request, vocab)
        matchable = load_matchable(content, config, vocab)
        load = read_load(load_file, matchable.network.mentors) if load_file else {}
    except ContentError as exc:
        _fail_on_content_error(exc)
        return
    team = match_team(request, matchable.index(), load, vocab)
    if fmt == "json":
        click.echo(json.dumps(team_dict(team), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(team_markdown(team, vocab))
    else:
        click.echo(team_text(team, vocab))


_CACHE_OPTION = click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Reuse the validation and the pages of the previous build where nothing changed "
    "(kept in .mentormemed-cache/ beside the output folder, never published).",
)


_LEDGER_OPTION = click.option(
    "--ledger",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    envvar="MENTORMEMED_LEDGER",
    show_envvar=True,
    help="A request ledger (JSON, written by the deploy workflow from the request issues): builds "
    "the outcomes page, the institution reports and the public mentoring records. "
    "content/ledger.sample.json is a fictional one for local builds.",
)
_FEDERATION_OPTION = click.option(
    "--federation",
    "federation_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("federation"),
    show_default=True,
    help="Folder of the peer networks' snapshots (read only if the content has federation.yml).",
)


def _build_or_fail(
    content: Path,
    output: Path,
    site_url: str,
    repository_url: str,
    cache: bool,
    ledger: Path | None = None,
    federation_dir: Path | None = None,
) -> bool:
    """Build the site; print the report and return False when it cannot be built."""
    from generator.core.cache import default_cache_dir
    from generator.site.build import SiteBuildError, build

    try:
        built = build(
            content,
            output,
            site_url=site_url,
            repository_url=repository_url,
            cache_dir=default_cache_dir(output) if cache else None,
            ledger=ledger,
            federation=federation_dir,
        )
    except ContentError as exc:
        click.echo(text_report(exc.problems), err=True)
        click.echo("Nothing was published: fix the problems above and build again.", err=True)
        return False
    except SiteBuildError as exc:
        click.echo(f"error[build-failed]: {exc}", err=True)
        return False
    peers = f", and {built.peer_mentors} mentor(s) of {built.peers} peer network(s)," if built.peers else ""
    counts = f"{built.mentors} mentor(s), {built.programs} program(s)"
    if built.patched_bios is None:
        click.echo(f"Built {counts}{peers} into {output}")
    elif built.patched_bios:
        click.echo(
            f"Patched {built.patched_bios} edited bio(s) into {output}: nothing else changed "
            f"({counts}{peers.rstrip(',')})."
        )
    else:
        click.echo(
            f"Nothing changed since the last build: {output} is up to date ({counts}{peers.rstrip(',')})."
        )
    return True


@cli.command(short_help="Validate the content and build the directory site.")
@_CONTENT_OPTION
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder to write the site to; replaced whole, and only by a build that succeeds.",
)
@click.option(
    "--site-url",
    default=DEFAULT_SITE_URL,
    show_default=True,
    help="Address the site is published at (for the sitemap, links in the export and the 404 page).",
)
@_REPOSITORY_OPTION
@_CACHE_OPTION
@_LEDGER_OPTION
@_FEDERATION_OPTION
def build(
    content: Path,
    output: Path,
    site_url: str,
    repository_url: str,
    cache: bool,
    ledger: Path | None,
    federation_dir: Path,
) -> None:
    """Validate the content and build the directory site with Pelican.

    Invalid content is refused with the same report as `validate`, and nothing is
    written. The site is built into a temporary folder that replaces OUTPUT only when
    the build succeeds, so a failed build leaves the previous site untouched. When the
    content lists peer networks (federation.yml), their committed snapshots in
    --federation are checked again and merged in (docs/federation.md).

    With the cache, when the only change since the last build is in mentors' bios,
    the bios are patched onto OUTPUT instead: the same files a build would write, in
    a fraction of the time (docs/site.md, "A bio edit, patched"); anything else is
    built.

    \b
    Examples:
        mentormemed build
        mentormemed build --content /tmp/network --output /tmp/site
        mentormemed build --no-cache
        mentormemed build --ledger content/ledger.sample.json
    """
    if not _build_or_fail(content, output, site_url, repository_url, cache, ledger, federation_dir):
        sys.exit(1)


@cli.command(short_help="Build, serve on localhost and rebuild on change.")
@_CONTENT_OPTION
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder to build the site into.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port on 127.0.0.1."
)
@_REPOSITORY_OPTION
@_CACHE_OPTION
@_LEDGER_OPTION
@_FEDERATION_OPTION
def serve(
    content: Path,
    output: Path,
    port: int,
    repository_url: str,
    cache: bool,
    ledger: Path | None,
    federation_dir: Path,
) -> None:
    """Build the site, serve it on http://127.0.0.1:PORT/ and rebuild when files change.

    Changes to the content, the theme or the snapshots trigger a rebuild; while the content is
    invalid the report is printed and the last good site stays up. Stop with Ctrl+C.

    \b
    Examples:
        mentormemed serve --port 8000
        mentormemed serve --ledger content/ledger.sample.json
    """
    import threading

    from generator.site.build import theme_dir
    from generator.site.serve import make_server, watch

    site_url = f"http://127.0.0.1:{port}"
    if (
        not _build_or_fail(content, output, site_url, repository_url, cache, ledger, federation_dir)
        and not output.is_dir()
    ):
        sys.exit(1)
    server = make_server(output.resolve(), "127.0.0.1", port)
    host, bound = server.server_address[0], server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    click.echo(f"Serving {output} at http://{host!s}:{bound}/ (Ctrl+C to stop)")
    stop = threading.Event()

    def rebuild(changed: set[str]) -> None:
        click.echo(f"{len(changed)} file(s) changed; rebuilding…")
        _build_or_fail(content, output, site_url, repository_url, cache, ledger, federation_dir)

    try:
        watch([content, theme_dir(), federation_dir], rebuild, stop)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


@cli.command(short_help="Assign mentor teams to many requests at once.")
@click.option(
    "--requests",
    "requests_path",
    type=click.Path(path_type=Path),
    required=True,
    help="A folder of request files (the id of each is its file name), or one request file.",
)
@_CONTENT_OPTION
@_LOAD_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json for tools, csv (one row per mentor) for spreadsheets.",
)
def cohort(requests_path: Path, content: Path, load_file: Path | None, fmt: str) -> None:
    """Assign mentor teams to many requests at once, sharing the mentors' places.

    Maximises the total fit of all teams with a convex load cost, never exceeding any
    mentor's capacity (after --load), using an integer program solved by HiGHS. The
    result is the same for the same input, whatever the order of the requests.

    \b
    Example:
        mentormemed cohort --requests incoming/ --load load.json --format csv > teams.csv
    """
    import csv
    import json

    from generator.content.vocabulary import vocabulary
    from generator.matching.cohort import match_cohort
    from generator.matching.loads import read_load
    from generator.matching.network import load_matchable
    from generator.matching.report import CSV_COLUMNS, cohort_dict, cohort_rows
    from generator.requests.request_files import load_requests

    try:
        vocab = vocabulary()
        requests = load_requests(requests_path, vocab)
        matchable = load_matchable(content, vocab=vocab)
        load = read_load(load_file, matchable.network.mentors) if load_file else {}
    except ContentError as exc:
        _fail_on_content_error(exc)
        return
    result = match_cohort(requests, matchable.index(), load, vocab)
    if fmt == "json":
        click.echo(json.dumps(cohort_dict(result.teams, result.load, result.solver_status), indent=2))
        return
    writer: csv.DictWriter[str] = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(cohort_rows(result.teams))


@cli.command(short_help="Compare matching methods with the naive baseline.")
@click.option(
    "--mentors", type=click.IntRange(1, 200_000), default=5000, show_default=True, help="Synthetic mentors."
)
@click.option(
    "--requests",
    "requests_arg",
    default="2000",
    show_default=True,
    help="How many synthetic requests; with --content, a folder of request files.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the synthetic network.")
@click.option(
    "--scenario",
    type=click.Choice(["ample", "tight", "scarce"]),
    default="ample",
    show_default=True,
    help="ample: places well above demand; tight: places about 1.1 × demand; scarce: ample, "
    "but a handful of American Indian / Alaska Native and Native Hawaiian / Pacific Islander "
    "mentors with few places for tens of mentees who ask for them.",
)
@click.option(
    "--content",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Evaluate on this real network (and the request files of --requests) instead.",
)
@click.option(
    "--method",
    "methods",
    type=click.Choice(["baseline", "team", "cohort"]),
    multiple=True,
    help="Methods to run (repeat the option; default: all three).",
)
@click.option(
    "--groups", is_flag=True, help="Also break the request figures down by the mentee's identity group."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def evaluate(
    mentors: int,
    requests_arg: str,
    seed: int,
    scenario: str,
    content: Path | None,
    methods: tuple[str, ...],
    groups: bool,
    fmt: str,
) -> None:
    """Measure the naive baseline, the one-request teams and cohort matching side by side.

    The baseline gives each request the top team_size mentors by score (load ignored
    except capacity); "team" matches requests one at a time with the load-aware
    greedy; "cohort" matches them all at once. The figures (coverage, concordance,
    fit of the worst-served decile, load spread, URiM mentors' load) are defined in
    docs/matching.md.

    \b
    Examples:
        mentormemed evaluate --mentors 5000 --requests 2000 --seed 3 --scenario tight
        mentormemed evaluate --content content --requests requests/ --format json
    """
    from generator.content.vocabulary import vocabulary
    from generator.demo.synthetic import synthetic_network
    from generator.matching.evaluate import METHODS, evaluation_json, evaluation_text, methods_named
    from generator.matching.evaluate import evaluate as run_evaluation
    from generator.matching.network import load_matchable, mentor_index

    if content is None:
        if not requests_arg.isdigit() or int(requests_arg) < 1:
            raise click.BadParameter(
                "give a number of requests (or --content and a folder).", param_hint="--requests"
            )
        network = synthetic_network(mentors, int(requests_arg), seed, scenario)
        index = mentor_index(network.mentors)
        requests = network.requests
    else:
        from generator.requests.request_files import load_requests

        try:
            vocab = vocabulary()
            requests = load_requests(Path(requests_arg), vocab)
            index = load_matchable(content, vocab=vocab).index()
        except ContentError as exc:
            _fail_on_content_error(exc)
            return
    chosen = methods_named(methods) if methods else METHODS
    results = run_evaluation(requests, index, vocabulary(), methods=chosen, groups=groups)
    click.echo(evaluation_json(results) if fmt == "json" else evaluation_text(results))


# --------------------------------------------------------------------------- federation


def _federation_or_fail(content: Path) -> Any:
    """The validated federation.yml of ``content`` (exit 1 with the report if it is invalid)."""
    from generator.content.peers import FEDERATION_FILE
    from generator.content.validation import validate_content

    path = content / FEDERATION_FILE
    if not path.is_file():
        click.echo(f"{path}: no such file; list the peer networks there (docs/federation.md).", err=True)
        sys.exit(1)
    result = validate_content(content, only=[path])
    if not result.ok or result.federation is None:
        click.echo(text_report(result.problems, result.files_checked), err=True)
        sys.exit(1)
    return result.federation


@cli.group(short_help="Read peer networks' exports into snapshots; accept held ones; list duplicates.")
def federation() -> None:
    """Federation: one directory over several networks, from their published directory.json.

    The peers are listed in content/federation.yml; their snapshots live in
    federation/<peer>.json and are reviewed like content (docs/federation.md).

    \b
    Example:
        mentormemed federation fetch --summary /tmp/summary.md
    """


@federation.command("fetch", short_help="Download and check every peer's export into its snapshot.")
@_CONTENT_OPTION
@_FEDERATION_OPTION
@click.option("--peer", "only", multiple=True, help="Fetch only this peer (repeat the option).")
@click.option(
    "--max-bytes",
    type=click.IntRange(1024, 1 << 31),
    default=64 * 1024 * 1024,
    show_default=True,
    help="Largest export accepted (bytes); a larger one is stopped while it downloads.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600),
    default=30.0,
    show_default=True,
    help="Seconds to wait for the server to connect or send more.",
)
@click.option(
    "--deadline",
    type=click.FloatRange(0.1, 3600),
    default=120.0,
    show_default=True,
    help="Seconds one export may take to download in all.",
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="PEER=URL",
    help="Fetch PEER from URL instead of its directory_url (a mirror, or a local test server).",
)
@click.option(
    "--allow-loopback-http",
    is_flag=True,
    help="For tests and local trials only: also accept http://127.0.0.1 addresses.",
)
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the summary as Markdown to this file (the pull request's description).",
)
def federation_fetch(
    content: Path,
    federation_dir: Path,
    only: tuple[str, ...],
    max_bytes: int,
    timeout: float,
    deadline: float,
    sources: tuple[str, ...],
    allow_loopback_http: bool,
    summary_file: Path | None,
) -> None:
    """Download each peer's directory.json, check it and write federation/<peer>.json.

    Each export is fetched over https:// only (redirects too, at most 3), without cookies,
    within --timeout, --deadline and --max-bytes; checked against the published schema of its
    major version and with the same text and address rules as local content. A peer that
    fails keeps its last good snapshot; one whose export lists fewer than half the mentors of
    its snapshot is held in federation/held/ for review. Prints what changed (mentors added,
    removed, changed). Exit status 0 when every peer was fetched, 3 when some failed or were
    held (their previous snapshots stay), 1 when federation.yml is invalid.

    \b
    Examples:
        mentormemed federation fetch
        mentormemed federation fetch --peer riverside-network --summary /tmp/summary.md
    """
    from generator.federation.download import Limits
    from generator.federation.errors import FederationError
    from generator.federation.fetch import FetchOptions, fetch_all, summary_markdown, summary_text

    peers = _federation_or_fail(content)
    chosen: dict[str, str] = {}
    for item in sources:
        name, sep, url = item.partition("=")
        if not sep or not url:
            raise click.BadParameter(f"'{item}': write PEER=URL.", param_hint="--source")
        chosen[name] = url
    options = FetchOptions(
        limits=Limits(max_bytes=max_bytes, connect_timeout=timeout, read_timeout=timeout, deadline=deadline),
        allow_loopback_http=allow_loopback_http,
        sources=chosen,
    )
    try:
        outcomes = fetch_all(peers, federation_dir, options, only=only)
    except FederationError as exc:
        raise click.BadParameter(str(exc), param_hint="--peer") from None
    click.echo(summary_text(outcomes) or "No peers are listed.")
    if summary_file is not None:
        summary_file.write_text(summary_markdown(outcomes), encoding="utf-8")
    if any(o.status.value in {"failed", "held for review"} for o in outcomes):
        click.echo(
            "Some peers were not updated: their previous snapshots stay in place (see above).", err=True
        )
        sys.exit(3)


@federation.command("accept", short_help="Use a snapshot held for review (it shrank by half or more).")
@_CONTENT_OPTION
@_FEDERATION_OPTION
@click.argument("peer")
def federation_accept(content: Path, federation_dir: Path, peer: str) -> None:
    """Replace PEER's snapshot with the one held in federation/held/ after checking it again.

    \b
    Example:
        mentormemed federation accept riverside-network
    """
    from generator.federation.errors import FederationError
    from generator.federation.fetch import accept_held

    peers = _federation_or_fail(content)
    listed = peers.peer(peer)
    if listed is None:
        raise click.BadParameter(f"'{peer}' is not a peer of federation.yml.", param_hint="PEER")
    try:
        snapshot = accept_held(federation_dir, listed)
    except FederationError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(
        f"{peer}: the held snapshot of {snapshot.as_of} ({len(snapshot.export.mentors)} mentors) is now used."
    )


@federation.command("duplicates", short_help="List mentors that two networks probably both list.")
@_CONTENT_OPTION
@_FEDERATION_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools.",
)
@_REPOSITORY_OPTION
def federation_duplicates(content: Path, federation_dir: Path, fmt: str, repository_url: str) -> None:
    """List probable duplicates between this network and its peers (and between peers): the
    same GitHub user name, or the same name at the same institution. They are never merged;
    the networks concerned decide which profile stays. Exit status 0 either way.

    \b
    Example:
        mentormemed federation duplicates --format json
    """
    import dataclasses
    import json

    from generator.content.export import build_export
    from generator.content.validation import validate_content
    from generator.content.vocabulary import vocabulary
    from generator.federation.duplicates import duplicates_text, probable_duplicates
    from generator.federation.merge import merge
    from generator.site.build import SiteBuildError, load_federation

    vocab = vocabulary()
    result = validate_content(content)
    if not result.ok:
        _fail_on_content_error(ContentError(result.problems))
        return
    try:
        peers = load_federation(federation_dir, result.federation)
    except SiteBuildError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    site = result.network.site_url if result.network else DEFAULT_SITE_URL
    local = build_export(result.programs, result.mentors, site, vocab)
    found = probable_duplicates(merge(local, peers, site, vocab).export)
    if fmt == "json":
        click.echo(json.dumps([dataclasses.asdict(d) for d in found], indent=2, ensure_ascii=False))
    else:
        click.echo(duplicates_text(found))


# --------------------------------------------------------------------------- request bot


@cli.command(short_help="Answer a mentor request issue (run by GitHub Actions).")
@click.option(
    "--event-name",
    required=True,
    help="The event that started the job (github.event_name): issues or issue_comment.",
)
@click.option(
    "--event-path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The event payload file Actions writes (GITHUB_EVENT_PATH).",
)
@_CONTENT_OPTION
@click.option(
    "--site-url",
    default=DEFAULT_SITE_URL,
    show_default=True,
    envvar="MENTORMEMED_SITE_URL",
    show_envvar=True,
    help="Address of the directory site, for the mentors' profile links "
    "(an empty MENTORMEMED_SITE_URL means the default).",
)
@click.option(
    "--snapshot",
    "snapshot_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The scheduled run's last snapshot (bot-schedule), if there is one: the mentors' load "
    "is counted from it for the issues unchanged since, instead of reading every request "
    "issue. Missing, unreadable, stale or incomplete: every issue is read, as without it.",
)
def bot(event_name: str, event_path: Path, content: Path, site_url: str, snapshot_path: Path | None) -> None:
    """Bring one mentor request issue up to date after an event: suggest a team, apply
    /accept, /decline, /rematch and /withdraw, and keep one bot comment and the labels.

    Talks to GitHub with GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL as Actions
    sets them. Works from the issue as it is now, so running it again changes nothing.
    Exit status 0 when done or skipped, 1 with a message when GitHub or the content fails
    (the writes made before a GitHub failure stand, and running the bot again on the
    issue makes the rest) or when the bot's own comment on the issue was changed so that
    its state cannot be read (nothing is written). MENTORMEMED_RETRY_BACKOFF and
    MENTORMEMED_RETRY_MAX_WAIT (seconds) tune the waits between retries.

    \b
    Example:
        mentormemed bot --event-name "$GITHUB_EVENT_NAME" \
            --event-path "$GITHUB_EVENT_PATH" --site-url https://example.org/directory
    """
    import json
    import os

    from generator.bot.github import GitHubClient, GitHubError, RetryPolicy
    from generator.bot.run import EventError, IssueHeld, make_context, run_issue, triage

    log = logging.getLogger("mentormemed.bot")
    try:
        payload = json.loads(event_path.read_text(encoding="utf-8"))
        if not isinstance(payload, dict):
            raise EventError("the event is not a JSON object")
        target = triage(event_name, payload)
    except (OSError, ValueError) as exc:
        reason = str(exc) if isinstance(exc, EventError) else type(exc).__name__
        click.echo(f"mentormemed bot: cannot read the event file {event_path}: {reason}", err=True)
        sys.exit(1)
    if target.number is None:
        click.echo(f"mentormemed bot: nothing to do ({target.skip})")
        return
    try:
        policy = RetryPolicy(
            backoff=float(os.environ.get("MENTORMEMED_RETRY_BACKOFF", "1")),
            max_wait=float(os.environ.get("MENTORMEMED_RETRY_MAX_WAIT", "120")),
        )
    except ValueError:
        raise click.UsageError(
            "MENTORMEMED_RETRY_BACKOFF and MENTORMEMED_RETRY_MAX_WAIT must be numbers"
        ) from None
    server = os.environ.get("GITHUB_SERVER_URL") or "https://github.com"
    try:
        gh = GitHubClient.from_env(retry=policy)
        ctx = make_context(content, site_url, f"{server.rstrip('/')}/{gh.repository}")
        snapshot = _event_snapshot(snapshot_path, gh.repository)
        outcome = run_issue(gh, ctx, target.number, snapshot)
    except ContentError as exc:
        click.echo("mentormemed bot: the directory content is invalid; nothing was written.", err=True)
        _fail_on_content_error(exc)
        return
    except (GitHubError, IssueHeld) as exc:
        click.echo(f"mentormemed bot: issue #{target.number}: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # no traceback: it could quote the issue
        log.debug("bot failed", exc_info=False)
        click.echo(
            f"mentormemed bot: issue #{target.number}: internal error ({type(exc).__name__})", err=True
        )
        sys.exit(1)
    written = ", ".join(outcome.written) or "no change"
    click.echo(f"mentormemed bot: issue #{target.number}: {written}")


def _event_snapshot(path: Path | None, repository: str) -> Any:
    """The scheduled run's snapshot for an event run, or None (said why) when it cannot help."""
    from generator.bot.settings import load_bot_settings
    from generator.bot.snapshot import SnapshotError, load_snapshot, usable

    if path is None:
        return None
    max_age = load_bot_settings(None).snapshot_max_age_days  # ContentError: the bot stops
    try:
        snapshot = load_snapshot(path)
    except SnapshotError as exc:
        click.echo(f"mentormemed bot: every request issue is read for the load ({exc})")
        return None
    why = usable(snapshot, repository, _now(), max_age)
    if why is None and not snapshot.complete:
        why = "it is still being rebuilt"
    if why is not None:
        click.echo(f"mentormemed bot: every request issue is read for the load (the snapshot: {why})")
        return None
    return snapshot


@cli.command("profile-bot", short_help="Turn a profile form issue into a pull request (run by Actions).")
@click.option(
    "--event-name",
    required=True,
    help="The event that started the job (github.event_name): issues.",
)
@click.option(
    "--event-path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The event payload file Actions writes (GITHUB_EVENT_PATH).",
)
@_CONTENT_OPTION
@click.option(
    "--codeowners",
    "codeowners_path",
    default=".github/CODEOWNERS",
    show_default=True,
    help="Path of CODEOWNERS in the repository, regenerated in an 'Add a program' pull request.",
)
def profile_bot(event_name: str, event_path: Path, content: Path, codeowners_path: str) -> None:
    """Answer an "Add a mentor", "Update my profile" or "Add a program" issue: check the
    answers with the validator, comment with every problem (one comment, updated on each
    edit), refuse politely a change the author may not make, and when everything is valid
    open (or update) one pull request that adds or changes the one file, with the issue
    linked; "Add a program" also regenerates CODEOWNERS in it.

    Talks to GitHub with GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL as Actions sets
    them; CONTENT is the default branch's content folder (its path is also the folder's path
    in the repository). Running it again on the same issue changes nothing. Exit status 0
    when done or skipped, 1 with a message when GitHub or the content fails.

    \b
    Example:
        mentormemed profile-bot --event-name "$GITHUB_EVENT_NAME" \
            --event-path "$GITHUB_EVENT_PATH"
    """
    import json
    import os

    from generator.bot.github import GitHubError, RetryPolicy
    from generator.profiles.github import ProfileGitHub
    from generator.profiles.run import EventError, make_context, run_profile_issue, triage

    try:
        payload = json.loads(event_path.read_text(encoding="utf-8"))
        if not isinstance(payload, dict):
            raise EventError("the event is not a JSON object")
        target = triage(event_name, payload)
    except (OSError, ValueError) as exc:
        reason = str(exc) if isinstance(exc, EventError) else type(exc).__name__
        click.echo(f"mentormemed profile-bot: cannot read the event file {event_path}: {reason}", err=True)
        sys.exit(1)
    if target.number is None:
        click.echo(f"mentormemed profile-bot: nothing to do ({target.skip})")
        return
    try:
        policy = RetryPolicy(backoff=float(os.environ.get("MENTORMEMED_RETRY_BACKOFF", "1")))
    except ValueError:
        raise click.UsageError("MENTORMEMED_RETRY_BACKOFF must be a number") from None
    try:
        gh = ProfileGitHub.from_env(retry=policy)
        ctx = make_context(content)
        ctx.codeowners_path = codeowners_path
        outcome = run_profile_issue(gh, ctx, target.number)
    except GitHubError as exc:
        click.echo(f"mentormemed profile-bot: issue #{target.number}: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # no traceback: it could quote the issue
        click.echo(
            f"mentormemed profile-bot: issue #{target.number}: internal error ({type(exc).__name__})",
            err=True,
        )
        sys.exit(1)
    written = ", ".join(outcome.written) or "no change"
    click.echo(f"mentormemed profile-bot: issue #{target.number}: {written}")


@cli.command("pr-comment", short_help="Post the sticky validation summary on a pull request (Actions).")
@click.option(
    "--report",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The JSON report of `mentormemed validate --format json` from the pull request's run.",
)
@click.option(
    "--pull",
    "pull_file",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help='JSON {"number": N, "head_sha": "…"} written by that run.',
)
@click.option(
    "--head-sha",
    required=True,
    help="The commit the run was for, from GitHub (github.event.workflow_run.head_sha), not from the run.",
)
def pr_comment(report: Path, pull_file: Path, head_sha: str) -> None:
    """Post or update the one summary comment of the Validate workflow on a pull request:
    every problem of the changed files with where it is and its fix, or that all is valid.

    Run by a workflow_run job that never checks out the pull request: REPORT and PULL come
    from the pull request's run and are treated as untrusted data (strict shapes, every text
    made inert). The comment is posted only if HEAD_SHA, PULL's head_sha and the pull
    request's current head commit are the same. Talks to GitHub with GITHUB_TOKEN,
    GITHUB_REPOSITORY and GITHUB_API_URL.

    \b
    Example:
        mentormemed pr-comment --report feedback/report.json --pull feedback/pull.json \\
            --head-sha "$HEAD_SHA"
    """
    from generator.bot.github import GitHubError
    from generator.profiles.feedback import ReportError, post_summary, read_report
    from generator.profiles.github import ProfileGitHub

    try:
        data, pull = read_report(report, pull_file)
        result = post_summary(ProfileGitHub.from_env(), data, pull, expected_sha=head_sha)
    except (ReportError, GitHubError) as exc:
        click.echo(f"mentormemed pr-comment: {exc}", err=True)
        sys.exit(1)
    click.echo(f"mentormemed pr-comment: pull request #{pull.number}: summary {result}")


@cli.command(short_help="Copy the built pages of changed mentors and programs into a folder.")
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("output"),
    show_default=True,
    help="The built site.",
)
@click.option(
    "--dest",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("preview"),
    show_default=True,
    help="Where to copy the pages (and the theme they use).",
)
@_CONTENT_OPTION
@click.argument("paths", nargs=-1)
def preview(output: Path, dest: Path, content: Path, paths: tuple[str, ...]) -> None:
    """Copy the built pages of the mentor and program files among PATHS (as the repository
    names them, e.g. content/mentors/lakeshore-som/jordan-sample.yml) and the theme into
    DEST, for a pull request's preview artifact.

    \b
    Example:
        mentormemed preview --output output --dest preview -- content/mentors/lakeshore-som/jordan-sample.yml
    """
    from generator.profiles.feedback import collect_preview

    copied = collect_preview(output, paths, dest, content_prefix=content.as_posix().strip("/") or "content")
    for page in copied:
        click.echo(f"{dest}/{page}")
    if not copied:
        click.echo("No mentor or program page changed.")


def _now() -> datetime:
    """MENTORMEMED_NOW (ISO 8601, for tests and replays), else the current time (UTC)."""
    import os

    text = os.environ.get("MENTORMEMED_NOW", "").strip()
    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.UsageError(f"MENTORMEMED_NOW={text!r} is not an ISO 8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _retry_policy() -> Any:
    import os

    from generator.bot.github import RetryPolicy

    try:
        return RetryPolicy(
            backoff=float(os.environ.get("MENTORMEMED_RETRY_BACKOFF", "1")),
            max_wait=float(os.environ.get("MENTORMEMED_RETRY_MAX_WAIT", "120")),
        )
    except ValueError:
        raise click.UsageError(
            "MENTORMEMED_RETRY_BACKOFF and MENTORMEMED_RETRY_MAX_WAIT must be numbers"
        ) from None


@cli.command("bot-schedule", short_help="Tend every open request on a schedule (run by GitHub Actions).")
@_CONTENT_OPTION
@click.option(
    "--site-url",
    default=DEFAULT_SITE_URL,
    show_default=True,
    envvar="MENTORMEMED_SITE_URL",
    show_envvar=True,
    help="Address of the directory site (an empty MENTORMEMED_SITE_URL means the default).",
)
@click.option(
    "--snapshot",
    "snapshot_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The snapshot carried from the last run: read if it is there and usable, then "
    "replaced by this run's (written even when the run fails part-way).",
)
@click.option(
    "--settings",
    "settings_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The schedule's settings (default: schemas/bot.yml).",
)
@click.option("--dry-run", is_flag=True, help="Read and plan, write nothing on GitHub.")
def bot_schedule(
    content: Path, site_url: str, snapshot_path: Path, settings_path: Path | None, dry_run: bool
) -> None:
    """Bring every open mentor request up to date with what time changed: re-offer places
    whose offer expired, ask whether to keep looking after a long wait and close kindly after
    silence, and check in on accepted pairs (docs/bot-runbook.md, "The scheduled run").

    Reads only the issues that changed since the last run, or that something is due on,
    using the snapshot carried between runs; a missing or stale snapshot is rebuilt from
    the issues first (over several runs for a large repository). Talks to GitHub with
    GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL as Actions sets them;
    MENTORMEMED_NOW (ISO 8601) replaces the current time. Exit status 0 when every issue is
    up to date (or the rebuild goes on next run), 1 when some issue failed or GitHub rate
    limited the run (the snapshot keeps what was done; the next run does the rest).

    \b
    Example:
        mentormemed bot-schedule --snapshot bot-snapshot/snapshot.json
    """
    import os

    from generator.bot.github import GitHubClient, GitHubError
    from generator.bot.run import make_context
    from generator.bot.settings import load_bot_settings
    from generator.bot.snapshot import SnapshotError, dump_snapshot, load_snapshot
    from generator.bot.sweep import sweep

    now = _now()
    server = os.environ.get("GITHUB_SERVER_URL") or "https://github.com"
    try:
        settings = load_bot_settings(settings_path)
        gh = GitHubClient.from_env(retry=_retry_policy())
        ctx = make_context(content, site_url, f"{server.rstrip('/')}/{gh.repository}")
        ctx = dataclasses.replace(ctx, settings=settings)
    except ContentError as exc:
        click.echo("mentormemed bot-schedule: nothing was written.", err=True)
        _fail_on_content_error(exc)
        return
    except GitHubError as exc:
        click.echo(f"mentormemed bot-schedule: {exc}", err=True)
        sys.exit(1)
    try:
        previous = load_snapshot(snapshot_path)
    except SnapshotError as exc:
        click.echo(f"mentormemed bot-schedule: the snapshot is rebuilt ({exc})")
        previous = None
    try:
        snapshot, report = sweep(
            gh,
            ctx,
            now,
            previous,
            settings=settings,
            dry_run=dry_run,
            on_progress=lambda snap: dump_snapshot(snap, snapshot_path),
        )
    except GitHubError as exc:  # before any issue was read: listing failed
        click.echo(f"mentormemed bot-schedule: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # no traceback: it could quote an issue
        click.echo(f"mentormemed bot-schedule: internal error ({type(exc).__name__})", err=True)
        sys.exit(1)
    dump_snapshot(snapshot, snapshot_path)
    if report.rebuilding:
        click.echo(
            f"mentormemed bot-schedule: rebuilding the snapshot: {len(snapshot.issues)} of "
            f"{report.listed} request issue(s) read; nothing written until it is complete"
        )
    else:
        written = sum(1 for w in report.written.values() if w)
        click.echo(
            f"mentormemed bot-schedule: {report.listed} open request(s), {report.read} read, "
            f"{written} updated"
        )
    for number, reason in sorted(report.failed.items()):
        click.echo(f"mentormemed bot-schedule: issue #{number}: {reason}", err=True)
    if report.stopped:
        click.echo(f"mentormemed bot-schedule: stopped early: {report.stopped}", err=True)
    if report.failed or report.stopped:
        sys.exit(1)


@cli.command(short_help="Write the request ledger (what became of every request) from GitHub.")
@click.option(
    "--repo",
    "repository",
    envvar="GITHUB_REPOSITORY",
    show_envvar=True,
    required=True,
    help="OWNER/NAME of the repository whose request issues are read.",
)
@click.option(
    "--out",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The ledger file to write (JSON, whole or not at all).",
)
@click.option(
    "--snapshot",
    "snapshot_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The scheduled run's snapshot, if there is one: states of unchanged issues are taken "
    "from it instead of reading their comments.",
)
def ledger(repository: str, output: Path, snapshot_path: Path | None) -> None:
    """Write the request ledger: every request issue (open and closed), its stage, needs and
    identity groups, the mentors suggested and what became of each place, check-ins, endings
    and thanks. No mentee is named in it. The site's outcomes page is built from it
    (`MENTORMEMED_LEDGER`, see docs/bot-runbook.md).

    Read-only: a token that can read issues is enough (GITHUB_TOKEN with `issues: read`),
    from GITHUB_TOKEN and GITHUB_API_URL. Exit status 1 with a message when GitHub fails;
    then no file is written.

    \b
    Example:
        mentormemed ledger --repo "$GITHUB_REPOSITORY" --out ledger.json
    """
    import os

    from generator.bot.github import GitHubClient, GitHubError
    from generator.bot.ledger import build_ledger
    from generator.bot.snapshot import SnapshotError, load_snapshot
    from generator.content.vocabulary import vocabulary
    from generator.requests.ledger import dump_ledger

    snapshot = None
    if snapshot_path is not None:
        try:
            snapshot = load_snapshot(snapshot_path)
        except SnapshotError as exc:
            click.echo(f"mentormemed ledger: the snapshot is not used ({exc})")
    server = os.environ.get("GITHUB_SERVER_URL") or "https://github.com"
    try:
        env = {**os.environ, "GITHUB_REPOSITORY": repository}
        gh = GitHubClient.from_env(env, retry=_retry_policy())
        result = build_ledger(
            gh,
            vocab=vocabulary(),
            repository_url=f"{server.rstrip('/')}/{gh.repository}",
            now=_now(),
            snapshot=snapshot
            if snapshot is not None and snapshot.repository.lower() == repository.lower()
            else None,
        )
    except GitHubError as exc:
        click.echo(f"mentormemed ledger: no ledger written: {exc}", err=True)
        sys.exit(1)
    try:
        dump_ledger(result, output)
    except OSError as exc:
        click.echo(f"mentormemed ledger: cannot write {output}: {exc.strerror}", err=True)
        sys.exit(1)
    click.echo(f"mentormemed ledger: {len(result.requests)} request(s) written to {output}")


@cli.command(short_help="Open, update or close the profile reminder issues (scheduled).")
@_CONTENT_OPTION
def reminders(content: Path) -> None:
    """Bring each program's profile reminder issue up to date: list its profiles due for
    confirmation (last confirmed more than stale_after_months minus one month ago, see
    docs/freshness.md), mentioning the program's maintainers and the mentors; record each
    `/confirm` a mentor comments from the GitHub account in their file; close the issue when
    no profile of the program is due. Never opens a second issue for a program. Run by
    .github/workflows/reminders.yml; talks to GitHub with GITHUB_TOKEN and
    GITHUB_REPOSITORY. MENTORMEMED_TODAY (YYYY-MM-DD) replays a given day.

    \b
    Example:
        mentormemed reminders --content content
    """
    from generator.bot.github import GitHubClient, GitHubError
    from generator.bot.reminders import run_reminders
    from generator.content.freshness import policy_of
    from generator.content.validation import load_network
    from generator.core.clock import ClockError, today

    try:
        network = load_network(content)
    except ContentError as exc:
        _fail_on_content_error(exc)
        return
    try:
        gh = GitHubClient.from_env()
        outcomes = run_reminders(gh, network.programs, network.mentors, today(), policy_of(network.network))
    except (GitHubError, ClockError) as exc:
        click.echo(f"mentormemed reminders: {exc}", err=True)
        sys.exit(1)
    for outcome in outcomes:
        number = f" #{outcome.number}" if outcome.number else ""
        counts = f"{len(outcome.due)} due, {len(outcome.confirmed)} confirmed"
        click.echo(f"{outcome.program}: {outcome.action}{number} ({counts})")


@cli.command(short_help="Set a mentor's last_confirmed date in their file.")
@_CONTENT_OPTION
@click.argument("mentor_id")
@click.option("--on", "day", default=None, help="The date the mentor confirmed (YYYY-MM-DD; default today).")
def confirm(content: Path, mentor_id: str, day: str | None) -> None:
    """Set last_confirmed of MENTOR_ID's file to the day the mentor confirmed the profile
    (the date the reminder issue gives for their /confirm), keeping every other line of the
    file as it is, then validate it. For the maintainer's content pull request.

    \b
    Example:
        mentormemed confirm ana-example --on 2026-09-14
    """
    import datetime as dt

    from generator.content.freshness import ConfirmError, set_last_confirmed
    from generator.core.clock import today

    try:
        when = dt.date.fromisoformat(day) if day else today()
    except ValueError:
        raise click.BadParameter(
            f"'{day}' is not a date: write it as YYYY-MM-DD.", param_hint="--on"
        ) from None
    try:
        path = set_last_confirmed(content, mentor_id, when)
    except ConfirmError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except ContentError as exc:
        _fail_on_content_error(exc)
        return
    click.echo(f"{path}: last_confirmed: {when.isoformat()}")


def main() -> None:
    try:
        cli(prog_name="mentormemed")
    except ContentError as exc:  # e.g. the vocabulary, read when a command first needs the models
        _fail_on_content_error(exc)
