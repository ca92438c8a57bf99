"""`netlab doctor` on this machine: its verdict per mode is the one `up` gives."""

from __future__ import annotations

import json
import subprocess

from .conftest import netlab


def test_doctor_passes_the_modes_this_machine_runs() -> None:
    done = netlab("doctor", "--mode", "docker-bridge", "--mode", "flannel-vxlan", "--mode", "iptables", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["modes"] == {"docker-bridge": True, "flannel-vxlan": True, "iptables": True}
    names = {row["check"]["name"] for row in report["rows"]}
    assert {"root", "kernel veth", "kernel bridge", "kernel vxlan", "kernel iptables nat"} <= names
    assert {trap["name"] for trap in report["traps"]} >= {"WSL2 kernel", "iptables legacy/nft mix"}


def test_doctor_says_whether_ipvs_can_run_and_exits_3_if_not() -> None:
    done = netlab("doctor", "--mode", "ipvs")
    # The kernel's own answer, asked as scripts/test asks it, not through netlab's checks.
    witness = subprocess.run(["unshare", "-n", "sh", "-c", "ipvsadm -Ln && ip link add probe0 type dummy"],
                             capture_output=True)
    if witness.returncode != 0:
        assert done.returncode == 3 and "cannot run: ipvs" in done.stderr and "modprobe" in done.stdout
    else:
        assert done.returncode == 0, done.stdout
