"""content/network.yml: the network's name, addresses and core maintainers, validated like
the programs (its own problems, with line numbers; a missing file is a problem with the fix)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from generator.cli import cli
from generator.content.models import Network
from generator.content.validation import validate_content
from generator.core.defaults import DEFAULT_REPOSITORY_URL, DEFAULT_SITE_URL
from generator.demo.network import NETWORK_RECORD
from tests.support.paths import ROOT


def _validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_a_missing_network_file_is_one_problem_with_the_fix(base_content: Path) -> None:
    (base_content / "network.yml").unlink()
    code, out = _validate("--content", str(base_content))
    assert code == 1
    assert out.splitlines() == [
        f"{base_content.as_posix()}/network.yml:1:1: error[no-network]: the network's settings file is "
        f"missing: create {base_content.as_posix()}/network.yml with the network's name, site_url and "
        "core_maintainers (the GitHub users or organization/team who own everything outside the "
        "programs' folders); see docs/bot-runbook.md.",
        "1 problem(s) in 1 of 2 file(s). Each line says the file, line and column, what is wrong and how "
        "to fix it.",
    ]


def test_a_network_folder_is_not_the_network_file(base_content: Path) -> None:
    (base_content / "network.yml").unlink()
    (base_content / "network.yml").mkdir()
    result = validate_content(base_content)
    assert [(p.code, Path(p.path).name) for p in result.problems] == [("misplaced-file", "network.yml")]
    assert result.network is None


def test_the_network_is_in_the_result(base_content: Path) -> None:
    result = validate_content(base_content)
    assert result.network == Network(
        name="Lakeshore Test Network",
        site_url="https://site.invalid/directory",
        core_maintainers=["mmm-sample-test-core", "mmm-sample-test-network/core"],
    )


def test_the_network_file_is_checked_when_given_and_only_then(base_content: Path) -> None:
    network = base_content / "network.yml"
    network.write_text(network.read_text().replace("https://site.invalid", "http://site.invalid"))
    code, out = _validate("--content", str(base_content), str(network))
    assert code == 1
    assert out.startswith(f"{network.as_posix()}:3:11: error[not-https]: site_url: ")
    mentor = base_content / "mentors" / "lakeshore-som" / "ana-example.yml"
    assert _validate("--content", str(base_content), str(mentor)) == (0, "All 1 file(s) are valid.\n")


def test_the_sample_network_file() -> None:
    result = validate_content(ROOT / "content", only=[ROOT / "content" / "network.yml"])
    assert result.problems == []
    network = result.network
    assert network is not None
    assert all(handle.startswith("mmm-sample-") for handle in network.core_maintainers)
    assert any("/" in handle for handle in network.core_maintainers)  # a team, as the docs show
    # the addresses it records are the ones the commands use by default
    assert network.site_url == DEFAULT_SITE_URL
    assert network.repository_url == DEFAULT_REPOSITORY_URL


def test_the_demo_network_file_is_fictional() -> None:
    assert all(handle.startswith("mmm-demo-") for handle in NETWORK_RECORD["core_maintainers"])
    Network.model_validate(NETWORK_RECORD)


@pytest.mark.parametrize(
    ("owner", "code"),
    [
        ("@mmm-sample-core", "bad-github-handle"),
        ("https://github.com/mmm-sample-core", "bad-github-handle"),
        ("mmm-sample-core-", "bad-github-handle"),
        ("mmm-sample-org/", "bad-github-team"),
        ("mmm-sample-org/core/extra", "bad-github-team"),
        ("-mmm-sample-org/core", "bad-github-team"),
        ("mmm-sample-org/-core", "bad-github-team"),
        ("mmm-sample-org/core team", "bad-github-team"),
    ],
)
def test_core_maintainer_must_be_a_user_or_a_team(owner: str, code: str) -> None:
    data = {"name": "A Network", "site_url": "https://site.invalid/", "core_maintainers": [owner]}
    with pytest.raises(ValidationError) as info:
        Network.model_validate(data)
    assert [e["type"] for e in info.value.errors()] == [code]


@pytest.mark.parametrize("owner", ["mmm-sample-core", "mmm-sample-org/core", "mmm-sample-org/core_team-2"])
def test_core_maintainer_user_or_team_accepted(owner: str) -> None:
    data = {"name": "A Network", "site_url": "https://site.invalid/", "core_maintainers": [owner]}
    assert Network.model_validate(data).core_maintainers == [owner]
