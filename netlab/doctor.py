"""`netlab doctor`: can this machine run each of netlab's modes, and which known traps is it in?

Each mode is checked with exactly the checks `up` runs for a lab in that mode (kernel/features.py), so the
verdict here is the verdict `up` will give. The traps are things that confuse people who run container
networking on a host — Docker's FORWARD policy, a host firewall, WSL2's kernel, two iptables backends —
explained as they concern netlab, whose labs live in their own namespaces. Nothing is changed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from netlab import features as registry
from netlab.compile import compile_plan
from netlab.kernel import features
from netlab.topology import load_topology_text

SERVICE = "services: [{name: web, selector: {app: web}, ports: [{port: 80}]}]\n"
POD = "pods: [{name: web, labels: {app: web}}]\n"
TWO_NODES = "nodes: [{name: node1}, {name: node2}]\n"
# The smallest lab of each mode: the checks `up` runs for it are the mode's requirements.
MODES = {name: cni.doctor_lab for name, cni in registry.CNIS.items()} | {
    mode: f"cluster: {{cni: flannel-vxlan, proxy: {mode}}}\n" + TWO_NODES + POD + SERVICE
    for mode in registry.PROXY_MODES}


@dataclass
class Row:
    check: features.Check
    modes: list[str]


@dataclass(frozen=True)
class Trap:
    name: str
    found: bool
    detail: str
    advice: str = ""


@dataclass
class Report:
    rows: list[Row]
    modes: dict[str, bool]  # mode → can run
    traps: list[Trap]


def diagnose(modes: list[str]) -> Report:
    """Each check once, however many modes need it; a mode can run when every check it needs passed."""
    needs = {mode: features.requirements(compile_plan(load_topology_text(f"name: doctor\n{MODES[mode]}")))
             for mode in modes}
    union: features.Requirements = {}
    for needed in needs.values():
        union.update(needed)
    checks = {c.name: c for c in features.run_checks(union)}
    rows = [Row(check, [m for m in modes if name == "root" or name in needs[m]]) for name, check in checks.items()]
    verdict = {m: checks["root"].ok and all(checks[n].ok for n in needs[m] if n in checks) for m in modes}
    return Report(rows, verdict, traps())


def traps() -> list[Trap]:
    rules = _save("iptables-save")  # read once: two traps look at it
    return [wsl2(), docker_forward_policy(rules), host_firewall(rules), iptables_backends()]


def wsl2(version: str | None = None) -> Trap:
    version = Path("/proc/version").read_text() if version is None else version
    found = "microsoft" in version.lower()
    return Trap("WSL2 kernel", found, "this is WSL2's kernel" if found else "not WSL2",
                "WSL2's stock kernel lacks modules some modes need (vxlan, ip_vs, br_netfilter): "
                "build a custom WSL kernel, or use the Vagrant box" if found else "")


def _save(tool: str) -> str:
    """The host's rules, read (never changed); "" when the tool is missing or cannot read them."""
    if shutil.which(tool) is None:
        return ""
    done = subprocess.run([tool], capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else ""


def docker_forward_policy(rules: str) -> Trap:
    found = bool(re.search(r"^:FORWARD DROP", rules, re.M)) and "DOCKER" in rules
    return Trap("Docker's FORWARD DROP", found,
                "the host's FORWARD policy is DROP, set by Docker" if found else "not set on this host",
                "it does not affect netlab: every lab node has its own namespace and its own FORWARD chain "
                "(a docker-bridge lab's node sets DROP too, as Docker does)" if found else "")


def host_firewall(rules: str) -> Trap:
    nft = subprocess.run(["nft", "list", "ruleset"], capture_output=True, text=True, check=False).stdout \
        if shutil.which("nft") else ""
    dropping = bool(re.search(r"^:INPUT DROP|^:OUTPUT DROP", rules, re.M)) or "policy drop" in nft
    return Trap("host firewall", dropping, "the host drops by default in INPUT, OUTPUT or an nft chain"
                if dropping else "no default-drop policy on the host",
                "it does not affect netlab's labs, which have their own namespaces and rules; it only matters "
                "for traffic to and from the host itself" if dropping else "")


def iptables_backends() -> Trap:
    version = subprocess.run(["iptables", "-V"], capture_output=True, text=True, check=False).stdout.strip() \
        if shutil.which("iptables") else "iptables is not installed"
    legacy = [line for line in _save("iptables-legacy-save").splitlines() if line.startswith("-A")]
    nft = [line for line in _save("iptables-nft-save").splitlines() if line.startswith("-A")]
    both = bool(legacy and nft)
    return Trap("iptables legacy/nft mix", both,
                f"{version}; the host has rules in both backends" if both else version,
                "`iptables-save` shows only one backend's rules on the host; netlab's labs use "
                f"`{version.split()[-1] if version else 'iptables'}` inside their own namespaces, unaffected"
                if both else "")
