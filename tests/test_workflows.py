"""The GitHub Actions workflows keep their security rules (zizmor, actionlint and
check-jsonschema run in `make lint`; these are the project's own rules on top)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.paths import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+\s*$")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data  # type: ignore[no-any-return]


def steps(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job_id, step) for job_id, job in data["jobs"].items() for step in job.get("steps", [])]


def test_the_workflows_the_issue_names() -> None:
    assert [p.name for p in FILES] == [
        "deploy.yml",
        "federation.yml",
        "match.yml",
        "pr-feedback.yml",
        "profiles.yml",
        "reminders.yml",
        "tend.yml",
        "validate.yml",
    ]


#: The only jobs that may write, and exactly what they may write.
WRITERS = {
    ("federation.yml", "snapshots"): {"contents": "write", "pull-requests": "write"},
    ("match.yml", "bot"): {"actions": "read", "contents": "read", "issues": "write"},
    ("reminders.yml", "reminders"): {"contents": "read", "issues": "write"},
    ("tend.yml", "tend"): {"actions": "read", "contents": "read", "issues": "write"},
    ("profiles.yml", "propose"): {"contents": "write", "pull-requests": "write", "issues": "write"},
    ("pr-feedback.yml", "comment"): {"actions": "read", "contents": "read", "pull-requests": "write"},
}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_least_privilege_and_bounded_jobs(path: Path) -> None:
    data = load(path)
    assert data["permissions"] == {}
    for job_id, job in data["jobs"].items():
        assert isinstance(job.get("permissions"), dict), f"{job_id}: permissions per job"
        assert isinstance(job.get("timeout-minutes"), int), f"{job_id}: timeout-minutes"
        assert job["runs-on"] == "ubuntu-latest"
        if (path.name, job_id) in WRITERS:
            assert job["permissions"] == WRITERS[path.name, job_id], job_id
        elif job_id != "deploy":
            assert set(job["permissions"].values()) <= {"read"}, job_id
    triggers = data["on"] if isinstance(data["on"], dict) else {t: None for t in data["on"]}
    assert "pull_request_target" not in triggers
    # workflow_run only for the summary comment, which never runs a pull request's code
    assert "workflow_run" not in triggers or path.name == "pr-feedback.yml"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actions_pinned_to_a_commit_with_its_version(path: Path) -> None:
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)
    ]
    assert lines
    for line in lines:
        assert PINNED.match(line), line


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_expressions_in_scripts_no_caches_no_credentials(path: Path) -> None:
    for job_id, step in steps(load(path)):
        assert "${{" not in step.get("run", ""), f"{job_id}: pass values to run: through env:"
        uses = step.get("uses", "")
        assert not uses.startswith("actions/cache"), job_id
        assert "cache" not in step.get("with", {}), f"{job_id}: no caches"
        if uses.startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, job_id


def test_validate_reads_the_base_through_env() -> None:
    data = load(WORKFLOWS / "validate.yml")
    assert set(data["on"]) == {"pull_request"}
    (check,) = [s for _, s in steps(data) if "git diff" in s.get("run", "") and "validate" in s["run"]]
    assert check["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert '"$BASE_SHA"' in check["run"] and "--format github" in check["run"]
    runs = " ".join(s.get("run", "") for _, s in steps(data))
    assert "mentormemed build" in runs and ".ci/run" in runs


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_builds_in_ci_never_read_a_cache_from_the_checkout(path: Path) -> None:
    """A cache in the checkout could come from a commit: CI builds from the content alone."""
    for job_id, step in steps(load(path)):
        for command in re.findall(
            r"mentormemed\s+(?:build|serve)\b[^\n]*(?:\n\s+--[^\n]*)*", step.get("run", "")
        ):
            assert "--no-cache" in command.split(), f"{job_id}: {command}"


def test_deploy_only_the_deploy_job_writes_pages() -> None:
    data = load(WORKFLOWS / "deploy.yml")
    assert data["on"]["push"] == {"branches": ["main"]} and "workflow_dispatch" in data["on"]
    assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert data["jobs"]["build"]["permissions"] == {
        "actions": "read",
        "contents": "read",
        "issues": "read",
        "pages": "read",
    }
    uses = [s.get("uses", "").split("@")[0] for _, s in steps(data)]
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)


def test_deploy_writes_the_ledger_before_the_build_and_hands_it_over() -> None:
    """The outcomes page is built from the request ledger, read with the build job's read-only
    token before the build; the build is told where it is (MENTORMEMED_LEDGER)."""
    build = load(WORKFLOWS / "deploy.yml")["jobs"]["build"]["steps"]
    names = [s.get("name", "") for s in build]
    (ledger,) = [s for s in build if "mentormemed ledger" in s.get("run", "")]
    (site,) = [s for s in build if "mentormemed build" in s.get("run", "")]
    assert names.index(ledger["name"]) < names.index(site["name"])
    assert "--out ledger.json" in ledger["run"] and '--repo "$GITHUB_REPOSITORY"' in ledger["run"]
    assert "continue-on-error" not in ledger  # no ledger: the deploy fails, never an empty page
    assert ledger["env"] == {"GITHUB_TOKEN": "${{ github.token }}"}
    assert site["env"]["MENTORMEMED_LEDGER"] == "ledger.json"


def test_tend_runs_on_a_schedule_one_run_at_a_time_and_can_be_paused() -> None:
    data = load(WORKFLOWS / "tend.yml")
    assert set(data["on"]) == {"schedule", "workflow_dispatch"}
    assert [entry["cron"] for entry in data["on"]["schedule"]] == ["23 * * * *"]
    assert data["concurrency"] == {"group": "tend-requests", "cancel-in-progress": False}
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"actions": "read", "contents": "read", "issues": "write"}
    assert job["if"] == "vars.BOT_SCHEDULE_PAUSED != 'true'"
    (run,) = [s for _, s in steps(data) if "mentormemed bot-schedule" in s.get("run", "")]
    assert run["run"] == "mentormemed bot-schedule --snapshot bot-snapshot/snapshot.json"
    assert run["env"] == {
        "GITHUB_TOKEN": "${{ github.token }}",
        "MENTORMEMED_SITE_URL": "${{ vars.SITE_URL }}",
    }
    uses = {s.get("uses", "").split("@")[0]: s for _, s in steps(data)}
    download, upload = uses["actions/download-artifact"], uses["actions/upload-artifact"]
    assert download["with"]["name"] == upload["with"]["name"] == "bot-snapshot"
    assert download["continue-on-error"] is True  # no snapshot: the bot rebuilds it
    assert upload["if"] == "always()" and upload["with"]["path"] == "bot-snapshot/snapshot.json"
    # the snapshot comes only from this workflow's own runs on the default branch
    (find,) = [s for _, s in steps(data) if "gh run list" in s.get("run", "")]
    assert "--workflow tend.yml" in find["run"] and '--branch "$BRANCH"' in find["run"]
    assert find["env"]["BRANCH"] == "${{ github.event.repository.default_branch }}"


def test_match_runs_the_bot_once_per_issue() -> None:
    data = load(WORKFLOWS / "match.yml")
    assert data["on"] == {
        "issues": {"types": ["opened", "edited", "reopened", "labeled", "closed"]},
        "issue_comment": {"types": ["created"]},
    }
    assert data["concurrency"] == {
        "group": "match-${{ github.event.issue.number }}",
        "cancel-in-progress": False,
    }
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"actions": "read", "contents": "read", "issues": "write"}
    condition = job["if"]
    assert "!github.event.issue.pull_request" in condition
    assert "github.event.sender.type != 'Bot'" in condition
    (bot,) = [s for _, s in steps(data) if "mentormemed bot" in s.get("run", "")]
    assert bot["run"] == (
        'mentormemed bot --event-name "$GITHUB_EVENT_NAME" --event-path "$GITHUB_EVENT_PATH"'
        " --snapshot bot-snapshot/snapshot.json"
    )
    # the scheduled run's snapshot, if any, saves reading every request issue for the load
    download = next(s for _, s in steps(data) if s.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"]["name"] == "bot-snapshot" and download["continue-on-error"] is True
    assert bot["env"] == {
        "GITHUB_TOKEN": "${{ github.token }}",
        "MENTORMEMED_SITE_URL": "${{ vars.SITE_URL }}",  # read by the bot itself (`--site-url`)
    }


def test_profiles_runs_the_profile_bot_on_profile_issues_only() -> None:
    data = load(WORKFLOWS / "profiles.yml")
    assert data["on"] == {"issues": {"types": ["opened", "edited", "reopened", "labeled"]}}
    assert data["concurrency"]["group"] == "profiles-${{ github.event.issue.number }}"
    (job,) = data["jobs"].values()
    for label in ("profile-add-mentor", "profile-update", "profile-add-program"):
        assert f"'{label}'" in job["if"]
    assert "!github.event.issue.pull_request" in job["if"] and "sender.type != 'Bot'" in job["if"]
    (bot,) = [s for _, s in steps(data) if "mentormemed profile-bot" in s.get("run", "")]
    assert bot["run"] == (
        'mentormemed profile-bot --event-name "$GITHUB_EVENT_NAME" --event-path "$GITHUB_EVENT_PATH"'
    )
    assert bot["env"] == {"GITHUB_TOKEN": "${{ github.token }}"}
    checkout = next(s for _, s in steps(data) if s.get("uses", "").startswith("actions/checkout@"))
    assert "ref" not in checkout["with"]  # the default branch: never a pull request's code


def test_the_summary_comment_never_runs_pull_request_code() -> None:
    """The workflow_run job checks out the default branch, downloads the report outside the
    workspace, reads it only as data and posts only for the commit GitHub names."""
    data = load(WORKFLOWS / "pr-feedback.yml")
    assert data["on"] == {"workflow_run": {"workflows": ["Validate"], "types": ["completed"]}}
    (job,) = data["jobs"].values()
    assert job["if"] == "github.event.workflow_run.event == 'pull_request'"
    all_steps = [s for _, s in steps(data)]
    checkout = next(s for s in all_steps if s.get("uses", "").startswith("actions/checkout@"))
    assert set(checkout["with"]) == {"persist-credentials"}  # no ref, no repository: the default branch
    uses = [s["uses"].split("@")[0] for s in all_steps if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python"]
    download = next(s for s in all_steps if "gh run download" in s.get("run", ""))
    assert '--dir "$RUNNER_TEMP/pr-feedback"' in download["run"]
    assert download["env"]["RUN_ID"] == "${{ github.event.workflow_run.id }}"
    post = next(s for s in all_steps if "mentormemed pr-comment" in s.get("run", ""))
    assert post["env"]["HEAD_SHA"] == "${{ github.event.workflow_run.head_sha }}"
    assert '--head-sha "$HEAD_SHA"' in post["run"]
    runs = " ".join(s.get("run", "") for s in all_steps)
    for forbidden in ("bash ", "sh ", "source ", "chmod", "make ", "npm ", "python ", "git checkout"):
        assert forbidden not in runs.replace("python -m pip install", ""), forbidden


def test_validate_keeps_the_report_and_the_preview_as_artifacts() -> None:
    data = load(WORKFLOWS / "validate.yml")
    check = next(s for _, s in steps(data) if "git diff" in s.get("run", "") and "--format json" in s["run"])
    assert '> "$RUNNER_TEMP/pr-feedback/report.json"' in check["run"]
    assert check["env"]["HEAD_SHA"] == "${{ github.event.pull_request.head.sha }}"
    uploads = {
        s["with"]["name"]: s
        for _, s in steps(data)
        if s.get("uses", "").startswith("actions/upload-artifact@")
    }
    assert set(uploads) == {"pr-feedback", "preview"}
    assert uploads["pr-feedback"]["if"] == "${{ !cancelled() }}"  # also when the check fails
    assert any("mentormemed preview" in s.get("run", "") for _, s in steps(data))


def test_reminders_run_on_a_schedule_one_at_a_time_with_issues_write_only() -> None:
    data = load(WORKFLOWS / "reminders.yml")
    assert set(data["on"]) == {"schedule", "workflow_dispatch"}
    assert data["concurrency"] == {"group": "profile-reminders", "cancel-in-progress": False}
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    (step,) = [s for _, s in steps(data) if "mentormemed reminders" in s.get("run", "")]
    assert step["run"] == "mentormemed reminders --content content"
    assert step["env"] == {"GITHUB_TOKEN": "${{ github.token }}"}


def test_federation_opens_one_pull_request_with_the_least_it_needs() -> None:
    """The scheduled fetch: write access to contents and pull requests only, in one job; never
    the test-only options; the pull request's text is the summary file, never a peer's value."""
    data = load(WORKFLOWS / "federation.yml")
    assert set(data["on"]) == {"schedule", "workflow_dispatch"}
    assert data["concurrency"] == {"group": "federation", "cancel-in-progress": False}
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    runs = [s.get("run", "") for _, s in steps(data)]
    (fetch,) = [r for r in runs if "mentormemed federation fetch" in r]
    assert "--allow-loopback-http" not in fetch and "--source" not in fetch
    assert '--summary "$RUNNER_TEMP/federation-summary.md"' in fetch
    assert '[ "$status" -ne 3 ]' in fetch  # a failed peer keeps its snapshot; the others still go
    (publish,) = [s for _, s in steps(data) if "gh pr create" in s.get("run", "")]
    assert publish["env"] == {"GH_TOKEN": "${{ github.token }}", "BRANCH": "federation/snapshots"}
    assert "git add --all -- federation" in publish["run"]  # only the snapshots are committed
    assert publish["run"].count('--body-file "$RUNNER_TEMP/federation-summary.md"') == 2
    assert "gh pr edit" in publish["run"]  # an open pull request is updated, not duplicated


def test_dependabot_watches_the_actions() -> None:
    data = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert "github-actions" in {u["package-ecosystem"] for u in data["updates"]}


LOCK = ROOT / "requirements" / "workflows.lock"
HASHED_INSTALL = "python -m pip install --require-hashes --no-deps -r requirements/workflows.lock"
PROJECT_INSTALL = "python -m pip install --no-deps --no-build-isolation --no-index -e ."


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_workflows_install_only_hashed_packages(path: Path) -> None:
    """A job that installs Python packages installs the lock file's, with their hashes, then the
    project itself from the checkout with nothing fetched (no index, no build isolation)."""
    for job_id, step in steps(load(path)):
        lines = [line.strip() for line in str(step.get("run", "")).splitlines()]
        installs = [line for line in lines if "pip install" in line or line.startswith(("pip ", "uv "))]
        if not installs:
            continue
        assert installs == [HASHED_INSTALL, PROJECT_INSTALL], f"{path.name} {job_id}: {installs}"


def _lock_pins() -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes) of every package in the lock file."""
    pins: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=[a-z0-9])", LOCK.read_text(encoding="utf-8")):
        if match := re.match(r"([a-z0-9._-]+)==([^\s;]+)", block):
            pins[match[1]] = (match[2], block.count("--hash=sha256:"))
    return pins


def test_the_lock_pins_every_dependency_of_pyproject_with_hashes() -> None:
    """The offline half of `make lock-check` (which resolves again and compares the whole file)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _lock_pins()
    assert "setuptools" in pins  # to install the project without build isolation
    for requirement in project["dependencies"]:
        name, version = requirement.split("==")
        normal = re.sub(r"[._]+", "-", name.lower())
        assert pins.get(normal, ("missing",))[0] == version, f"{name}: {pins.get(normal)}; run make lock"
    assert all(hashes >= 1 for _, hashes in pins.values())
