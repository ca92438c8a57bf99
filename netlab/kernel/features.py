"""Detects, before anything is built, whether this machine can run a plan: root, tools, kernel features.

Kernel features are tried for real in a throwaway namespace (create a veth, load a nat table…), which
is the only test that cannot be fooled by built-in vs. modular kernels; the namespace vanishes after.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from netlab.errors import EnvironmentProblem
from netlab.kernel import messages, netns
from netlab.kernel.rtnl import RequestFailed, RtnlSocket
from netlab.plan import (
    IPTABLES_TOOLS, PYTHON, RULE_LOADERS, BgpSessions, Bridge, Daemon, Dummy, Exec, IpipTunnel, Plan, RuleSet, Sysctl,
    Veth, Vxlan,
)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def check_root() -> Check:
    ok = os.geteuid() == 0
    return Check("root", ok, "running as root" if ok else "not running as root",
                 "run it with sudo (labs are network namespaces, which only root can create)")


def check_tool(tool: str, package: str) -> Check:
    path = shutil.which(tool)
    return Check(f"tool {tool}", path is not None, path or "not found on PATH",
                 f"apt-get install {package}  (or run scripts/setup)")


def check_link_kind(kind: str, module: str) -> Check:
    """Creates one interface of `kind` with the very request `up` sends for it."""
    def request(ns_fd: int) -> messages.Request:
        match kind:
            case "veth":
                return messages.veth(Veth("", "probe0", "", "probe1", 1500), 0, 0, ns_fd)
            case "vxlan":
                return messages.vxlan(Vxlan("", "probe0", 1, "127.0.0.1", "lo", 1450, "02:00:00:00:00:01"), 0, 1)
            case "bridge":
                return messages.bridge(Bridge("", "probe0", 1500), 0)
        return messages.dummy(Dummy("", "probe0"), 0)

    def attempt() -> None:
        ns_fd = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
        try:
            sock = RtnlSocket(ns_fd)
            try:
                sock.queue(*request(ns_fd), tag=kind)
                sock.flush()
            except RequestFailed as e:
                raise OSError(f"the kernel cannot create a {kind} interface ({os.strerror(e.code)})") from None
            finally:
                sock.close()
        finally:
            os.close(ns_fd)
    return _in_scratch(f"kernel {kind}", attempt, f"modprobe {module}")


def check_ipip() -> Check:
    """Calico's IPIP uses tunl0, which the ipip module puts in every namespace: a new one must have it."""
    def attempt() -> None:
        with open("/proc/thread-self/net/dev") as devices:
            if "tunl0:" not in devices.read():
                raise OSError("a new namespace has no tunl0: the ipip module is not loaded (or this kernel lacks it)")
    return _in_scratch("kernel ipip", attempt, "modprobe ipip (or use calico.encapsulation VXLAN or None)")


def loads(argv: list[str], payload: str) -> Callable[[], None]:
    """An attempt that feeds a rule loader a tiny payload, as the lab's RuleSets will."""
    def attempt() -> None:
        done = subprocess.run(argv, input=payload, text=True, capture_output=True, check=False)
        if done.returncode != 0:
            raise OSError(done.stderr.strip())
    return attempt


def check_iptables_nat(tool: str = "iptables") -> Check:
    attempt = loads(list(RULE_LOADERS[tool]), "*nat\nCOMMIT\n*filter\nCOMMIT\n")
    fix = "modprobe ip_tables iptable_nat iptable_filter" if tool == "iptables-legacy" else \
        "modprobe nf_nat iptable_nat (or nft_chain_nat)"
    return _in_scratch(f"kernel {tool} nat", attempt, fix)


def check_ipvs() -> Check:
    """IPVS mode: the kernel must load ip_vs (asking for its netlink family loads the module on demand)."""
    def attempt() -> None:
        done = subprocess.run(["ipvsadm", "-Ln"], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            words = [line for line in done.stderr.splitlines() if "initialize ipvs" in line]
            raise OSError("the kernel has no IP Virtual Server (ip_vs)" + (f": {words[0]}" if words else ""))
    return _in_scratch("kernel ip_vs", attempt, "modprobe ip_vs  (the kernel needs CONFIG_IP_VS; on a kernel "
                       "without it use proxy: iptables or nftables, or scripts/vm-test)")


def check_ipset() -> Check:
    payload = "create probe-hash hash:ip,port,ip\ncreate probe-bitmap bitmap:port range 0-65535\n"
    return _in_scratch("kernel ipset", loads(list(RULE_LOADERS["ipset"]), payload),
                       "modprobe ip_set ip_set_hash_ipportip ip_set_bitmap_port")


def check_nft() -> Check:
    payload = "table ip probe { chain c { type nat hook prerouting priority -100; ct state new counter; }; }\n"
    return _in_scratch("kernel nf_tables", loads(list(RULE_LOADERS["nft"]), payload),
                       "modprobe nf_tables nft_chain_nat nft_ct")


def _in_scratch(name: str, attempt: Callable[[], None], fix: str) -> Check:
    try:
        with netns.anonymous():
            attempt()
    except Exception as e:  # any failure means the feature is not usable here
        return Check(name, False, str(e) or type(e).__name__, fix)
    return Check(name, True, "works")


TOOL_PACKAGES = {"ip": "iproute2", "bridge": "iproute2", "tc": "iproute2", "ss": "iproute2", "setsid": "util-linux",
                 "iptables": "iptables", "iptables-save": "iptables", "iptables-restore": "iptables",
                 "iptables-nft-restore": "iptables", "iptables-legacy-restore": "iptables",
                 "nft": "nftables", "ipset": "ipset", "ipvsadm": "ipvsadm", "conntrack": "conntrack",
                 "sysctl": "procps", "bird": "bird", "birdc": "bird",
                 "/usr/lib/frr/zebra": "frr", "/usr/lib/frr/bgpd": "frr", "vtysh": "frr",
                 "/usr/lib/frr/frr-reload.py": "frr-pythontools", "nginx": "nginx-light"}
Requirements = dict[str, Callable[[], Check]]  # check name → how to check it


def needs(plan: Plan) -> frozenset[object]:
    """What decides a plan's requirements (its kinds of step, rule loaders and programs), found in one pass: a
    changed lab that needs nothing new needs no check."""
    found: set[object] = set()
    for step in plan.steps:
        found.add(type(step))
        if isinstance(step, RuleSet):
            found.add(step.tool)
        elif isinstance(step, Daemon | Exec):
            found.add(step.argv[0])
            if isinstance(step, Daemon) and step.reload:  # frr-reload.py is a tool of its own
                found.add(step.reload[0])
        elif isinstance(step, Sysctl) and step.key_name.startswith("net.bridge."):
            found.add("br_netfilter")
    return frozenset(found)


def requirements(plan: Plan) -> Requirements:
    """What this plan needs, cheapest first, each as a check not yet run (`doctor` runs the union of several)."""
    index = plan.index()
    kinds = index.kinds
    loaders = index.tools()
    commands = {s.argv[0] for s in plan.steps if isinstance(s, Exec)}  # an exercise's
    daemons = {d.argv[0] for d in index.daemons() if d.argv[0] != PYTHON}  # a daemon from Debian: bird, nginx…
    daemons |= {d.reload[0] for d in index.daemons() if d.reload and d.reload[0] != PYTHON}  # frr-reload.py…
    # the BGP daemons' sessions are asked through their own control programs
    controls = {"vtysh" if s.speaker == "frr" else "birdc" for s in plan.steps if isinstance(s, BgpSessions)}
    tools = sorted({"ip"} | {RULE_LOADERS[tool][0] for tool in loaders} | commands | daemons | controls)
    needed: Requirements = {f"tool {t}": partial(check_tool, t, TOOL_PACKAGES.get(t, t)) for t in tools}
    for kind, module in ((Veth, "veth"), (Bridge, "bridge"), (Vxlan, "vxlan"), (Dummy, "dummy")):
        if kind in kinds:
            needed[f"kernel {module}"] = partial(check_link_kind, module, module)
    if IpipTunnel in kinds:
        needed["kernel ipip"] = check_ipip
    if "ipset" in loaders:
        needed["kernel ipset"] = check_ipset
    if "ipvsadm" in loaders:
        needed["kernel ip_vs"] = check_ipvs
    if any(isinstance(s, Sysctl) and s.key_name.startswith("net.bridge.") for s in plan.steps):
        needed["kernel br_netfilter"] = check_bridge_netfilter
    for tool in sorted(loaders & set(IPTABLES_TOOLS)):
        needed[f"kernel {tool} nat"] = partial(check_iptables_nat, tool)
    if "nft" in loaders:
        needed["kernel nf_tables"] = check_nft
    return needed


def run_checks(needed: Requirements) -> list[Check]:
    """Root first; the kernel probes only run as root (they create namespaces)."""
    root = check_root()
    return [root] + [check() for name, check in needed.items() if root.ok or not name.startswith("kernel ")]


def checks_for(plan: Plan) -> list[Check]:
    return run_checks(requirements(plan))


def check_bridge_netfilter() -> Check:
    """Kubernetes needs bridged pod traffic to traverse iptables (a pod → Service → pod on the same node).

    netlab does not load br_netfilter itself: loading it changes how the host's own bridges behave.
    """
    def attempt() -> None:
        if not os.path.exists("/proc/sys/net/bridge/bridge-nf-call-iptables"):
            raise OSError("br_netfilter is not loaded (no net.bridge.bridge-nf-call-iptables)")
    return _in_scratch("kernel br_netfilter", attempt, "modprobe br_netfilter")


def ensure_can_run(plan: Plan) -> None:
    failed = [c for c in checks_for(plan) if not c.ok]
    if failed:
        lines = [f"{c.name}: {c.detail}" for c in failed]
        fixes = "; ".join(dict.fromkeys(c.fix for c in failed if c.fix))
        raise EnvironmentProblem("this machine cannot run the lab:\n  " + "\n  ".join(lines), hint=fixes)
