"""The README's first command, `sudo scripts/demo`, as a user runs it: set up, bring up the default lab, probe
it and trace it. (The Vagrant box provisions with it too.)"""

from __future__ import annotations

import subprocess

import pytest

from netlab import naming
from netlab.kernel import netns
from netlab.lifecycle import down

from .conftest import ROOT


def test_the_demo_sets_up_and_brings_up_probes_and_traces_the_default_lab() -> None:
    if "docker-bridge" in down.all_labs():
        pytest.skip("the default lab is up on this machine; the demo would tear it down and rebuild it")
    try:
        done = subprocess.run([str(ROOT / "scripts" / "demo")], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        out = done.stdout
        assert "up lab docker-bridge" in out and "✗" not in out
        assert out.count("✓") >= 3  # the declared probes
        assert "MASQUERADE" in out and "DNAT" in out  # the two traces name the rules that rewrote the packets
        assert netns.exists(naming.netns("docker-bridge", "app1"))  # and the lab is left up to explore
    finally:
        down.down("docker-bridge")
