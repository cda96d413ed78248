"""The documentation stays in step with the code (in the style of sqlite-utils' tests/test_docs.py).

Generated parts of docs/*.md are cog blocks; these tests fail when a page is stale, when
a command or field is missing from it, or when an example in it no longer holds.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from pydantic import BaseModel, Field

from generator.cli import cli
from generator.content.models import Mentor, Network, Program
from generator.content.reporters import text_report
from generator.content.validation import validate_content
from generator.content.vocabulary import Term, Vocabulary
from generator.content.yamlload import load_text
from generator.docsgen.tables import cli_reference, field_table, vocabulary_tables
from tests.support.paths import BASE_NETWORK, ROOT

DOCS = ROOT / "docs"
BASE_PROGRAM = ROOT / "tests" / "cases" / "base" / "programs" / "lakeshore-som.yml"
COGGED = ["docs/contributing-mentors.md", "docs/vocabulary.md", "docs/cli.md"]


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _block(text: str, marker: str) -> str:
    """The fenced block that follows ``<!-- marker -->``."""
    match = re.search(rf"<!-- {re.escape(marker)} -->\n```[a-z]*\n(.*?)^```$", text, re.S | re.M)
    assert match, f"no fenced block after <!-- {marker} -->"
    return match.group(1)


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[str]:
    for name, command in sorted(group.commands.items()):
        if command.hidden:
            continue
        yield " ".join((*path, name))
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def _field_names(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    for name, info in model.model_fields.items():
        yield prefix + name
        for arg in (info.annotation, *getattr(info.annotation, "__args__", ())):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                yield from _field_names(arg, f"{prefix}{name}.")


def _flat_keys(data: dict[str, object], prefix: str = "") -> Iterator[str]:
    for key, value in data.items():
        yield prefix + key
        if isinstance(value, dict):
            yield from _flat_keys(value, f"{prefix}{key}.")


MENTOR_FIELDS = list(_field_names(Mentor))
PROGRAM_FIELDS = list(_field_names(Program))
MENTOR_LEAF_FIELDS = [n for n in MENTOR_FIELDS if not any(m.startswith(f"{n}.") for m in MENTOR_FIELDS)]


# --------------------------------------------------------------------------- docs/cli.md


@pytest.fixture(scope="module")
def cli_md() -> str:
    return _read("cli.md")


def test_field_names_include_nested_contact() -> None:
    # guards _field_names: without it the contact.* checks below would silently test nothing
    assert "contact.github" in MENTOR_FIELDS


@pytest.mark.parametrize("command", ["", *_commands(cli)])
def test_command_documented_under_heading(cli_md: str, command: str) -> None:
    heading = f"## mentormemed {command}".rstrip()
    assert re.search(rf"^{re.escape(heading)}$", cli_md, re.M), f"docs/cli.md lacks `{heading}`"
    usage = f"Usage: mentormemed {command} [OPTIONS]".replace("  ", " ")
    assert usage in cli_md, f"docs/cli.md lacks the --help of `mentormemed {command}`"


# --------------------------------------------------------------------------- cog blocks


@pytest.mark.parametrize("path", COGGED)
def test_cog_blocks_are_up_to_date(path: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "--diff", path],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, (
        f"{path} is out of date: run `.venv/bin/cog -r {path}` and commit it.\n{proc.stdout}{proc.stderr}"
    )


# --------------------------------------------------------------------------- docs/contributing-mentors.md


@pytest.fixture(scope="module")
def guide() -> str:
    return _read("contributing-mentors.md")


@pytest.mark.parametrize("name", MENTOR_FIELDS + PROGRAM_FIELDS)
def test_field_in_contributing_guide(guide: str, name: str) -> None:
    assert re.search(rf"`{re.escape(name)}`", guide), f"docs/contributing-mentors.md never mentions `{name}`"


def _content_tree(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "programs").mkdir(parents=True)
    (content / "mentors" / "lakeshore-som").mkdir(parents=True)
    shutil.copy(BASE_PROGRAM, content / "programs" / BASE_PROGRAM.name)
    shutil.copy(BASE_NETWORK, content / "network.yml")
    return content


def test_mentor_template_is_valid(guide: str, tmp_path: Path) -> None:
    template = _block(guide, "template: mentor")
    loaded = load_text(template, "template")
    assert isinstance(loaded.data, dict) and not loaded.problems, loaded.problems
    assert loaded.data.get("program") == "lakeshore-som"
    content = _content_tree(tmp_path)
    target = content / "mentors" / "lakeshore-som" / f"{loaded.data['id']}.yml"
    target.write_text(template, encoding="utf-8")
    result = validate_content(content)
    assert result.problems == [], text_report(result.problems, result.files_checked)
    assert loaded.data["id"] in result.mentors


def test_mentor_template_is_complete(guide: str) -> None:
    data = load_text(_block(guide, "template: mentor"), "template").data
    assert isinstance(data, dict)
    missing = set(MENTOR_FIELDS) - set(_flat_keys(data))
    assert not missing, f"the mentor template lacks {sorted(missing)}"


def test_template_handles_are_fictional(guide: str) -> None:
    for marker in ("template: mentor", "template: program"):
        block = _block(guide, marker)
        handles = re.findall(r"(?:github|maintainers):\s*\[?([^\]\n]+)", block)
        names = [h.strip() for group in handles for h in group.split(",")]
        assert names, marker
        assert all(n.startswith("mmm-sample-") for n in names), names
        assert "@" not in block


def test_program_template_is_valid(guide: str, tmp_path: Path) -> None:
    template = _block(guide, "template: program")
    data = load_text(template, "template").data
    assert isinstance(data, dict)
    programs = tmp_path / "content" / "programs"
    programs.mkdir(parents=True)
    shutil.copy(BASE_NETWORK, programs.parent / "network.yml")
    (programs / f"{data['id']}.yml").write_text(template, encoding="utf-8")
    result = validate_content(tmp_path / "content")
    assert result.problems == [], text_report(result.problems, result.files_checked)
    assert data["id"] in result.programs


def test_error_example_is_real_validator_output(
    guide: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = _block(guide, "example: broken-mentor")
    shown = _block(guide, "example: broken-mentor-output")
    data = load_text(broken, "example").data
    assert isinstance(data, dict)
    content = _content_tree(tmp_path)
    (content / "mentors" / "lakeshore-som" / f"{data['id']}.yml").write_text(broken, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = validate_content(Path("content"))
    assert len(result.problems) >= 3
    assert shown.rstrip("\n") == text_report(result.problems, result.files_checked)


# --------------------------------------------------------------------------- the network file


@pytest.fixture(scope="module")
def runbook() -> str:
    return _read("bot-runbook.md")


@pytest.mark.parametrize("name", list(Network.model_fields))
def test_network_field_in_the_install_steps(runbook: str, name: str) -> None:
    assert f"`{name}`" in runbook, f"docs/bot-runbook.md never mentions `{name}` of content/network.yml"


def test_network_template_is_valid_and_fictional(runbook: str, tmp_path: Path) -> None:
    match = re.search(r"<!-- template: network -->\n( *)```yaml\n(.*?)^\1```$", runbook, re.S | re.M)
    assert match, "no ```yaml block after <!-- template: network -->"
    template = textwrap.dedent(match.group(2))
    content = _content_tree(tmp_path)
    (content / "network.yml").write_text(template, encoding="utf-8")
    result = validate_content(content)
    assert result.problems == [], text_report(result.problems, result.files_checked)
    assert result.network is not None
    assert set(result.network.model_dump(exclude_unset=True)) == set(Network.model_fields)
    assert all(handle.startswith("mmm-sample-") for handle in result.network.core_maintainers)


@pytest.mark.parametrize("doc", ["README.md", "docs/bot-runbook.md"])
def test_install_steps_name_the_network_file_and_core_maintainers(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert "content/network.yml" in text and "core maintainers" in text, doc
    assert "security.md" in text, doc


# --------------------------------------------------------------------------- docs/privacy.md


@pytest.mark.parametrize("name", MENTOR_LEAF_FIELDS)
def test_privacy_says_where_each_field_goes(name: str) -> None:
    assert f"`{name}`" in _read("privacy.md"), f"docs/privacy.md does not say whether `{name}` is published"


# --------------------------------------------------------------------------- generator.docsgen.tables


class _Inner(BaseModel):
    handle: str | None = Field(None, description="Inner handle.", examples=["no"])


class _Toy(BaseModel):
    count: int = Field(ge=1, le=4, description="How | many.", examples=[2])
    flag: bool = Field(description="A flag.", examples=[False])
    tags: list[str] = Field(default_factory=list, max_length=3, description="Tags.")
    inner: _Inner | None = Field(None, description="Nested.")


def test_field_table_derives_rows_from_the_model() -> None:
    table = field_table(_Toy, vocabulary_link=None)
    rows = table.splitlines()
    assert rows[0].startswith("| Field | Required? | What it takes |")
    assert "| `count` | **yes** | whole number 1–4 | How \\| many. | `2` |" in rows
    assert "| `flag` | **yes** | true or false | A flag. | `false` |" in rows
    assert any(r.startswith("| `tags` | no | list of up to 3 texts |") for r in rows)
    assert any(r.startswith('| `inner.handle` | no | text | Inner handle. | `"no"` |') for r in rows)


def test_vocabulary_tables_group_and_mark_retired_terms() -> None:
    vocab = Vocabulary(
        {
            "colours": {
                "red": Term("red", "Red", synonyms=("crimson",), group="warm"),
                "teal": Term("teal", "Teal", group="cool", deprecated=True, replaced_by="blue"),
                "blue": Term("blue", "Blue", description="Like the sky.", group="cool"),
            },
            "colour_groups": {"warm": Term("warm", "Warm"), "cool": Term("cool", "Cool")},
        }
    )
    text = vocabulary_tables(vocab)
    assert "## colours" in text and "## colour_groups" not in text
    assert text.index("### Warm (`warm`)") < text.index("`red`") < text.index("### Cool (`cool`)")
    assert "| `red` | Red | Also: crimson |" in text
    assert "**Retired**: do not use; use `blue` instead." in text


def test_cli_reference_covers_new_commands_automatically() -> None:
    @click.group()
    def tool() -> None:
        """A tool."""

    @tool.group()
    def db() -> None:
        """Database commands."""

    @db.command("drop-all")
    @click.option("--yes", is_flag=True, help="Really.")
    def drop_all(yes: bool) -> None:
        """Drop everything."""

    text = cli_reference(tool, prog_name="tool", width=60)
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## tool",
        "## tool db",
        "## tool db drop-all",
    ]
    assert "Usage: tool db drop-all [OPTIONS]" in text
    assert cli_reference(tool, prog_name="tool", width=60) == text


def test_every_command_help_has_an_example() -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    runner = CliRunner()
    for name in sorted(cli.commands):
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"`mentormemed {name} --help` has no example"
