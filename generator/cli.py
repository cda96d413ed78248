"""The ``mentormemed`` command line: parses arguments, calls the library, prints reports."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from .problems import ContentError
from .reporters import REPORTERS, text_report

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


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
    click.echo(text_report(exc.problems, len({p.path for p in exc.problems})), err=True)
    sys.exit(1)


@cli.command()
@click.option(
    "--content",
    type=click.Path(path_type=Path),
    default=Path("content"),
    show_default=True,
    help="Folder holding mentors/ and programs/.",
)
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
    are unique, nobody is listed twice). Exit status 0 when clean, 1 otherwise.

    \b
    Examples:
        mentormemed validate
        mentormemed validate content/mentors/lakeshore-som/
        mentormemed validate --format github
    """
    from .validation import validate_content

    try:
        result = validate_content(content, only=list(paths) or None)
    except ContentError as exc:  # the vocabulary itself is broken
        _fail_on_content_error(exc)
        return
    click.echo(REPORTERS[fmt](result.problems, result.files_checked))
    sys.exit(0 if result.ok else 1)


@cli.command()
@click.option("--write", "mode", flag_value="write", help="Write schemas/*.schema.json.")
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
    from .schema_files import SCHEMA_DIR, render_schemas, stale_schemas, write_schemas

    directory = directory or SCHEMA_DIR
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


@cli.command()
@click.option(
    "--content",
    type=click.Path(path_type=Path),
    default=Path("content"),
    show_default=True,
    help="Folder holding mentors/ and programs/.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=Path(".github/CODEOWNERS"),
    show_default=True,
    help="The CODEOWNERS file to write or check.",
)
@click.option("--check", is_flag=True, help="Fail if the file differs from what the programs say.")
def codeowners(content: Path, output: Path, check: bool) -> None:
    """Write .github/CODEOWNERS so each program's maintainers own its mentors.

    \b
    Examples:
        mentormemed codeowners
        mentormemed codeowners --check
    """
    from .codeowners import render_codeowners
    from .validation import validate_content

    result = validate_content(content, only=[content / "programs"])
    if not result.ok:
        click.echo(text_report(result.problems, result.files_checked), err=True)
        sys.exit(1)
    text = render_codeowners(result.programs, content_prefix=content.as_posix().strip("/"))
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


@cli.command("demo-data")
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
def demo_data(mentors: int, programs: int, seed: int, output: Path, force: bool) -> None:
    """Write a valid synthetic network of fictional mentors (for benchmarks and tests).

    \b
    Example:
        mentormemed demo-data --mentors 10000 --programs 200 --seed 7 --output /tmp/network
    """
    from .demo_data import write_network

    try:
        count = write_network(output, mentors, programs, seed, force=force)
    except FileExistsError:
        raise click.UsageError(f"{output} already has files; choose a new folder or add --force.") from None
    click.echo(f"wrote {count} files to {output}")


def main() -> None:
    cli(prog_name="mentormemed")
