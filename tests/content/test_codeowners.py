"""CODEOWNERS: the network's core maintainers own everything; each program's maintainers own
its folder and program file, and nothing else (GitHub applies the last matching rule)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.content.codeowners import render_codeowners
from generator.content.validation import validate_content
from tests.support.codeowners import owners_of, parse, repository_files
from tests.support.paths import ROOT

TEST_CORE = ["@mmm-sample-test-core", "@mmm-sample-test-network/core"]

#: What a coordinator must never approve alone: the code the workflows run, the workflow that
#: holds `issues: write`, the site's scripts, the schemas, the network file, CODEOWNERS itself.
CODE_PATHS = [
    ".github/workflows/match.yml",
    ".github/workflows/deploy.yml",
    ".github/CODEOWNERS",
    ".github/ISSUE_TEMPLATE/mentor-request.yml",
    "theme/static/js/search.js",
    "theme/templates/base.html",
    "generator/cli.py",
    "generator/content/validation.py",
    "schemas/vocabulary.yml",
    "schemas/mentor.schema.json",
    "content/network.yml",
    "Makefile",
    "pyproject.toml",
    "package-lock.json",
    "requirements/workflows.lock",
    "README.md",
    "docs/security.md",
    # not yet any program's: adding a program needs a core maintainer
    "content/programs/new-school.yml",
    "content/mentors/new-school/ana-new.yml",
    "content/README.md",
]


def _second_program(content: Path) -> None:
    program = (content / "programs" / "lakeshore-som.yml").read_text()
    (content / "programs" / "hillcrest-som.yml").write_text(
        program.replace("lakeshore-som", "hillcrest-som")
        .replace("Lakeshore", "Hillcrest")
        .replace("mmm-sample-lakeshore-coord", "mmm-sample-hillcrest-coord, mmm-sample-hillcrest-dean")
    )
    (content / "mentors" / "hillcrest-som").mkdir()


def _render(content: Path, prefix: str = "content") -> str:
    result = validate_content(content)
    assert result.problems == [] and result.network is not None, result.problems
    return render_codeowners(result.network, result.programs, content_prefix=prefix)


def test_the_first_rule_is_the_default_owner(base_content: Path) -> None:
    rules = parse(_render(base_content))
    assert rules[0] == ("*", TEST_CORE)


def test_a_program_maintainer_owns_nothing_outside_their_program(base_content: Path) -> None:
    _second_program(base_content)
    rules = parse(_render(base_content))
    programs = {
        "lakeshore-som": ["@mmm-sample-lakeshore-coord"],
        "hillcrest-som": ["@mmm-sample-hillcrest-coord", "@mmm-sample-hillcrest-dean"],
    }
    paths = sorted(set(repository_files(ROOT)) | set(CODE_PATHS))
    assert len(paths) > 100
    own_files = {
        program: [
            f"content/programs/{program}.yml",
            f"content/mentors/{program}/ana-example.yml",
            f"content/mentors/{program}/new-mentor.yml",
        ]
        for program in programs
    }
    for program, maintainers in programs.items():
        for path in own_files[program]:
            assert owners_of(rules, path) == maintainers, path
        for path in paths + [p for other, files in own_files.items() if other != program for p in files]:
            if path in own_files[program]:
                continue
            assert not set(maintainers) & set(owners_of(rules, path)), f"{maintainers} own {path}"
    for path in CODE_PATHS:
        assert owners_of(rules, path) == TEST_CORE, path


def test_the_repository_codeowners_gives_code_to_the_core_maintainers_only() -> None:
    text = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    rules = parse(text)
    network = validate_content(ROOT / "content", only=[ROOT / "content" / "network.yml"]).network
    assert network is not None
    core = [f"@{handle}" for handle in network.core_maintainers]
    assert rules[0] == ("*", core)
    programs = {path.stem for path in (ROOT / "content" / "programs").glob("*.yml")}
    assert len(rules) == 1 + 2 * len(programs) + 5
    for path in sorted(set(repository_files(ROOT)) | set(CODE_PATHS)):
        parts = path.split("/")
        in_program = (parts[:2] == ["content", "mentors"] and len(parts) > 3 and parts[2] in programs) or (
            parts[:2] == ["content", "programs"]
            and len(parts) == 3
            and parts[2].removesuffix(".yml") in programs
        )
        owners = owners_of(rules, path)
        if in_program:
            assert owners and not set(owners) & set(core), path
        else:
            assert owners == core, path


def test_codeowners_written_and_checked(base_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "CODEOWNERS"
    runner = CliRunner()
    result = runner.invoke(cli, ["codeowners", "--content", str(base_content), "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    prefix = base_content.as_posix().strip("/")
    assert f"/{prefix}/mentors/lakeshore-som/ @mmm-sample-lakeshore-coord" in text
    assert f"/{prefix}/programs/lakeshore-som.yml @mmm-sample-lakeshore-coord" in text
    assert f"/{prefix}/network.yml {' '.join(TEST_CORE)}" in text
    check = ["codeowners", "--content", str(base_content), "--output", str(out), "--check"]
    assert runner.invoke(cli, check).exit_code == 0

    # a new maintainer makes the committed file stale
    program = base_content / "programs" / "lakeshore-som.yml"
    program.write_text(program.read_text().replace("[mmm-sample-lakeshore-coord]", "[mmm-sample-new-coord]"))
    stale = runner.invoke(cli, check)
    assert stale.exit_code == 1
    assert "out of date" in stale.output

    # so does a new core maintainer
    runner.invoke(cli, check[:-1])
    network = base_content / "network.yml"
    network.write_text(network.read_text().replace("mmm-sample-test-core,", "mmm-sample-test-core2,"))
    assert runner.invoke(cli, check).exit_code == 1


def test_codeowners_refuses_invalid_programs(base_content: Path, tmp_path: Path) -> None:
    program = base_content / "programs" / "lakeshore-som.yml"
    program.write_text(program.read_text().replace("[mmm-sample-lakeshore-coord]", "['@bad handle']"))
    out = tmp_path / "CODEOWNERS"
    result = CliRunner().invoke(cli, ["codeowners", "--content", str(base_content), "--output", str(out)])
    assert result.exit_code == 1
    assert "lakeshore-som.yml:8:" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("network", "expected"),
    [
        (None, "network.yml:1:1: error[no-network]: the network's settings file is missing: create "),
        ("name: Lakeshore Test Network\nsite_url: https://site.invalid/\n", "error[missing-field]"),
        (
            "name: Lakeshore Test Network\nsite_url: https://site.invalid/\ncore_maintainers: ['@x']\n",
            "network.yml:3:20: error[bad-github-handle]",
        ),
    ],
)
def test_codeowners_refuses_a_missing_or_invalid_network(
    base_content: Path, tmp_path: Path, network: str | None, expected: str
) -> None:
    if network is None:
        (base_content / "network.yml").unlink()
    else:
        (base_content / "network.yml").write_text(network)
    out = tmp_path / "CODEOWNERS"
    result = CliRunner().invoke(cli, ["codeowners", "--content", str(base_content), "--output", str(out)])
    assert result.exit_code == 1
    assert expected in result.output
    assert "not-found" not in result.output
    assert not out.exists()


def test_repository_codeowners_is_current() -> None:
    result = CliRunner().invoke(cli, ["codeowners", "--check"])
    assert result.exit_code == 0, result.output


def test_a_peers_reviewers_own_its_snapshots_and_nothing_else(base_content: Path, tmp_path: Path) -> None:
    from tests.support.peers import peer_entry, write_federation

    write_federation(base_content, [peer_entry("river", "River Network"), peer_entry("hill", "Hill Network")])
    output = tmp_path / "CODEOWNERS"
    result = CliRunner().invoke(cli, ["codeowners", "--content", str(base_content), "--output", str(output)])
    assert result.exit_code == 0, result.output
    rules = parse(output.read_text(encoding="utf-8"))
    assert owners_of(rules, "federation/river.json") == ["@mmm-sample-river-lead"]
    assert owners_of(rules, "federation/held/river.json") == ["@mmm-sample-river-lead"]
    assert owners_of(rules, "federation/hill.json") == ["@mmm-sample-hill-lead"]
    for path in [*CODE_PATHS, "content/federation.yml", "federation/other.json"]:
        assert owners_of(rules, path) == TEST_CORE, path  # adding a peer is the core's decision
