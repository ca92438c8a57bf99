"""The host is untouched: for every shipped topology (every CNI and proxy mode), the root namespace's links,
addresses, routes, rules, neighbours, iptables, nftables, ipsets, IPVS table and net sysctls are the same
before `up` and after `down`."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from netlab.compile import compile_plan
from netlab.kernel import features
from netlab.topology import load_topology_text

from .conftest import ROOT, netlab, renamed_file, skip_without_ipip, skip_without_ipvs

TOPOLOGIES = sorted(p.stem for p in (ROOT / "topologies").glob("*.yaml"))
# Counters and caches the kernel keeps changing by itself, whatever runs.
VOLATILE_SYSCTLS = ("net.netfilter.nf_conntrack_count", "net.ipv4.neigh", "net.ipv6.neigh", "net.core.netdev_rss_key")


def run(*argv: str) -> str:
    if shutil.which(argv[0]) is None:
        return f"({argv[0]} not installed)"
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def root_namespace_fingerprint() -> dict[str, str]:
    return {
        "links": run("ip", "-d", "link"), "addresses": run("ip", "addr"),
        "IPv4 routes": run("ip", "route", "show", "table", "all"),
        "IPv6 routes": run("ip", "-6", "route", "show", "table", "all"),
        "policy rules": run("ip", "rule") + run("ip", "-6", "rule"),
        "static neighbours": run("ip", "neigh", "show", "nud", "permanent") + run("ip", "neigh", "show", "nud",
                                                                                  "noarp"),
        # Without counters: the host's own traffic moves them (iptables-save's [pkts:bytes], nft's counter).
        "iptables": "\n".join(re.sub(r"\[\d+:\d+\]", "", x) for x in run("iptables-save").splitlines()
                              if not x.startswith("#")),
        "nft": run("nft", "-s", "list", "ruleset"),
        "ipsets": run("ipset", "save"),
        "IPVS": run("ipvsadm", "-Ln"),
    }


def net_sysctls() -> dict[str, str]:
    out = subprocess.run(["sysctl", "-a", "--pattern", r"^net\."], capture_output=True, text=True).stdout
    pairs = (line.partition(" = ") for line in out.splitlines())
    return {key: value for key, _, value in pairs if not key.startswith(VOLATILE_SYSCTLS)}


@pytest.mark.parametrize("topology", TOPOLOGIES)
def test_the_root_namespace_is_identical_before_up_and_after_down(tmp_path: Path, topology: str) -> None:
    if topology == "services-ipvs":
        skip_without_ipvs()
    if topology == "calico-ipip":
        skip_without_ipip()
    path = renamed_file(tmp_path, topology, "hostcheck")
    text = path.read_text()
    # The kernel loads modules on demand (vxlan, nf_conntrack…); a loaded module adds sysctls of its own but
    # changes no setting. Probing the features first loads them, so "before" already has them.
    features.ensure_can_run(compile_plan(load_topology_text(text)))
    before, sysctls_before = root_namespace_fingerprint(), net_sysctls()
    try:
        assert netlab("up", str(path)).returncode == 0
        assert netlab("probe", "hostcheck").returncode in (0, 1)  # traffic too, whatever its verdicts
    finally:
        assert netlab("down", "hostcheck").returncode == 0
    after, sysctls_after = root_namespace_fingerprint(), net_sysctls()
    for key in before:
        assert before[key] == after[key], f"root namespace {key} changed"
    changed = {k: (v, sysctls_after.get(k)) for k, v in sysctls_before.items() if sysctls_after.get(k) != v}
    assert changed == {}, f"root namespace sysctls changed: {changed}"
