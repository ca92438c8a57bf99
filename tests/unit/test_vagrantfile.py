"""The classroom box: Vagrant itself accepts the Vagrantfile (settings, provisioner, providers)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.mark.skipif(shutil.which("vagrant") is None, reason="vagrant is not installed (scripts/test installs it "
                                                            "where the distribution ships it)")
def test_vagrant_validates_the_vagrantfile(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Vagrantfile", tmp_path)
    done = subprocess.run(["vagrant", "validate", "--ignore-provider"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin:/usr/sbin:/sbin"})
    assert done.returncode == 0 and "validated successfully" in done.stdout, done.stdout + done.stderr

