"""felix's iptables rules, written as felix writes them: each rule carries `cali:<hash>`, and the hash is felix's.

felix (felix/generictables/rules.go RuleHashes) hashes a chain's rules in order: SHA-224 of the chain's name, then
for each rule SHA-224 of the previous digest and the rule as felix renders it with the word HASH for its own
comment (`-A cali-POSTROUTING HASH --jump cali-fip-snat`), base64url, 16 characters. Rules felix inserts into a
built-in chain hash under the built-in's name; rules it appends there, under `<name>*appends*`. felix finds its
rules again by that hash alone; netlab loads them in felix's words, and iptables-save shows them in its own
(`-j` for `--jump`, `--set-xmark` for `--set-mark`).

The tables (felix/rules/static.go, endpoints.go, dispatch.go, nat.go; Calico v3.32):
* filter: cali-INPUT/FORWARD/OUTPUT hooked at the top of the built-in chains. A packet from a pod goes through
  cali-from-wl-dispatch to its pod's cali-fw-<iface> chain, a packet to a pod through cali-to-wl-dispatch to
  cali-tw-<iface>: established flows pass, then (no policy yet) the pod's profiles — its namespace's
  (`kns.<ns>`, which allows everything) and its service account's (`ksa.<ns>.<sa>`, no rules) — set the
  accept mark 0x10000, and FORWARD's appended rule accepts what carries it.
* nat: the floating-IP chains (empty), the masquerade of a node's own traffic into its tunnel, and for a pool
  with natOutgoing, cali-nat-outgoing over the pools' hash:net ipsets.
The chains are loaded with the pod network; the hooks into the built-in chains after kube-proxy's rules, since
felix keeps its own first (in insert mode it puts them back on top at every refresh).
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass

from netlab.features.calico.model import IPIP, VXLAN, CalicoConfig

HASH_LENGTH = 16
MAX_CHAIN_NAME = 28  # felix/iptables/table.go MaxChainNameLength
MASQ_POOLS = "cali40masq-ipam-pools"  # the pools with natOutgoing
ALL_POOLS = "cali40network-ip-pools"  # every pool: traffic between pods is never masqueraded
ALL_HOSTS = "cali40all-hosts-net"  # every node's address: IPIP is accepted only from them
VXLAN_HOSTS = "cali40all-vxlan-net"  # every VXLAN peer's address
ACCEPT, PASS = 0x10000, 0x20000  # felix's mark bits (markBitsManager, IptablesMarkMask 0xffff0000)
TIER = "default"  # every Kubernetes NetworkPolicy is in Calico's default tier, order 1000
ALL_BITS = 0x1B0000  # accept | pass | scratch0 0x80000 | scratch1 0x100000 (the drop bit 0x40000 aside)
# calico.yaml sets FELIX_DEFAULTENDPOINTTOHOSTACTION ACCEPT (felix's own default is DROP): pods may talk to
# their node, as a NodePort or kubelet's health checks need.
ENDPOINT_TO_HOST = "ACCEPT"
PROFILE_ACCEPTED = ('-m comment --comment "Return if profile accepted" '
                    f"-m mark --mark {ACCEPT:#x}/{ACCEPT:#x} --jump RETURN")


def rule_hashes(chain: str, rules: list[str]) -> list[str]:
    """felix's `cali:` hash of each rule of `chain` (rules as felix renders them, without its hash comment)."""
    digest = hashlib.sha224(chain.encode()).digest()
    hashes = []
    for rule in rules:
        digest = hashlib.sha224(digest + f"-A {chain} HASH{' ' + rule if rule else ''}".encode()).digest()
        hashes.append(base64.urlsafe_b64encode(digest).decode()[:HASH_LENGTH])
    return hashes


def chain_name(prefix: str, suffix: str) -> str:
    """libcalico-go's GetLengthLimitedID: a name too long for iptables ends in a hash of what it names."""
    if len(prefix) + len(suffix) > MAX_CHAIN_NAME or (len(prefix) + len(suffix) == MAX_CHAIN_NAME
                                                       and suffix.startswith("_")):
        digest = base64.urlsafe_b64encode(hashlib.sha256(suffix.encode()).digest()).decode()
        return prefix + "_" + digest[:MAX_CHAIN_NAME - 1 - len(prefix)]
    return prefix + suffix


@dataclass(frozen=True)
class Chain:
    name: str
    rules: tuple[str, ...] = ()

    def lines(self, *, insert: bool = False, append: bool = False) -> list[str]:
        """`-A` lines (or `-I NAME N` for felix's rules at the top of a built-in chain)."""
        key = f"{self.name}*appends*" if append else self.name
        out = []
        for i, (rule, hashed) in enumerate(zip(self.rules, rule_hashes(key, list(self.rules)), strict=True)):
            head = f"-I {self.name} {i + 1}" if insert else f"-A {self.name}"
            out.append(f'{head} -m comment --comment "cali:{hashed}" {rule}'.rstrip())
        return out


@dataclass(frozen=True)
class Endpoint:
    """A local pod as felix sees it: its host interface and its profiles (namespace, service account)."""

    iface: str
    namespace: str
    service_account: str
    ingress_policies: tuple[str, ...] = ()  # the policy (or group) chains its cali-tw- chain calls
    egress_policies: tuple[str, ...] = ()

    @property
    def profiles(self) -> tuple[str, str]:
        return f"kns.{self.namespace}", f"ksa.{self.namespace}.{self.service_account}"


# -- filter ------------------------------------------------------------------------------------------------

def filter_chains(config: CalicoConfig, endpoints: list[Endpoint], policies: tuple[Chain, ...] = ()) -> list[Chain]:
    encapsulation = config.mode
    intake = {
        IPIP: [f'-m comment --comment "Allow IPIP packets from Calico hosts" -p 4 -m set --match-set {ALL_HOSTS} src '
               "-m addrtype --dst-type LOCAL --jump ACCEPT",
               '-m comment --comment "Drop IPIP packets from non-Calico hosts" -p 4 --jump DROP'],
        VXLAN: ['-m comment --comment "Allow IPv4 VXLAN packets from allowed hosts" -p 17 -m multiport '
                f"--destination-ports 4789 -m set --match-set {VXLAN_HOSTS} src -m addrtype --dst-type LOCAL "
                "--jump ACCEPT",
                '-m comment --comment "Drop IPv4 VXLAN packets from non-allowed hosts" -p 17 -m multiport '
                "--destination-ports 4789 -m addrtype --dst-type LOCAL --jump DROP"],
    }.get(encapsulation, [])
    outflow = {
        IPIP: [f'-m comment --comment "Allow IPIP packets to other Calico hosts" -p 4 -m set --match-set {ALL_HOSTS} '
               "dst -m addrtype --src-type LOCAL --jump ACCEPT"],
        VXLAN: ['-m comment --comment "Allow IPv4 VXLAN packets to other allowed hosts" -p 17 -m multiport '
                f"--destination-ports 4789 -m addrtype --src-type LOCAL -m set --match-set {VXLAN_HOSTS} dst "
                "--jump ACCEPT"],
    }.get(encapsulation, [])
    accepted = f"-m mark --mark {ACCEPT:#x}/{ACCEPT:#x} --jump ACCEPT"
    host_accepted = f'-m comment --comment "Host endpoint policy accepted packet." {accepted}'
    chains = [
        Chain("cali-FORWARD", (
            f"--jump MARK --set-mark 0/{ALL_BITS & ~ACCEPT:#x}",
            f"-m mark --mark 0/{ACCEPT:#x} --jump cali-from-hep-forward",
            "--in-interface cali+ --jump cali-from-wl-dispatch",
            "--out-interface cali+ --jump cali-to-wl-dispatch",
            "--jump cali-to-hep-forward",
            "--jump cali-cidr-block")),
        Chain("cali-INPUT", (
            *intake,
            "--in-interface cali+ --goto cali-wl-to-host",
            accepted,
            f"--jump MARK --set-mark 0/{ALL_BITS:#x}",
            "--jump cali-from-host-endpoint",
            host_accepted)),
        Chain("cali-OUTPUT", (
            accepted,
            "--out-interface cali+ --jump RETURN",
            *outflow,
            f"--jump MARK --set-mark 0/{ALL_BITS:#x}",
            "-m conntrack ! --ctstate DNAT --jump cali-to-host-endpoint",
            host_accepted)),
        Chain("cali-wl-to-host", (
            "--jump cali-from-wl-dispatch",
            f'-m comment --comment "Configured DefaultEndpointToHostAction" --jump {ENDPOINT_TO_HOST}')),
        *(Chain(name) for name in ("cali-from-hep-forward", "cali-to-hep-forward", "cali-from-host-endpoint",
                                   "cali-to-host-endpoint", "cali-cidr-block")),
        *dispatch("cali-from-wl-dispatch", "--in-interface", "cali-fw-", [e.iface for e in endpoints]),
        *dispatch("cali-to-wl-dispatch", "--out-interface", "cali-tw-", [e.iface for e in endpoints]),
    ]
    for endpoint in sorted(endpoints, key=lambda e: e.iface):
        chains += [endpoint_chain(endpoint, ingress=True), endpoint_chain(endpoint, ingress=False)]
    chains += policies
    for profile in sorted({p for e in endpoints for p in e.profiles}):
        chains += profile_chains(profile)
    return chains


def dispatch(name: str, option: str, prefix: str, ifaces: list[str]) -> list[Chain]:
    """dispatch.go: a goto per interface; interfaces that share one more character than all of them share go
    through a chain of their own (one level), so a packet walks a few rules, not one per pod."""
    unknown = '-m comment --comment "Unknown interface" --jump DROP'
    names = sorted(ifaces)
    common = os.path.commonprefix(names) if names else ""
    bins: dict[str, list[str]] = {}
    for iface in names:
        bins.setdefault(iface[:len(common) + 1], []).append(iface)
    root, children = [], []
    for start, members in sorted(bins.items()):
        if len(members) == 1:
            root.append(f"{option} {members[0]} --goto {chain_name(prefix, members[0])}")
            continue
        child = f"{name}-{start[-1]}"
        root.append(f"{option} {start}+ --goto {child}")
        children.append(Chain(child, (*(f"{option} {m} --goto {chain_name(prefix, m)}" for m in members), unknown)))
    return [Chain(name, (*root, unknown)), *children]


def endpoint_chain(endpoint: Endpoint, *, ingress: bool) -> Chain:
    """cali-tw-<iface> (to the pod) or cali-fw-<iface> (from it): established flows, then (no policy selects
    the pod) its profiles, each of which may set the accept mark."""
    rules = ["-m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT",
             "-m conntrack --ctstate INVALID --jump DROP",
             f"--jump MARK --set-mark 0/{ACCEPT | PASS:#x}"]
    if not ingress:  # a pod may not send what looks like the nodes' own tunnel traffic
        rules += ['-m comment --comment "Drop VXLAN encapped packets originating in workloads" -p 17 '
                  "-m multiport --destination-ports 4789 --jump DROP",
                  '-m comment --comment "Drop IPinIP encapped packets originating in workloads" -p 4 --jump DROP']
    calls = endpoint.ingress_policies if ingress else endpoint.egress_policies
    if calls:  # a policy selects the pod: the tier decides, and what no policy allows is dropped there
        rules += tier_block(calls)
    for profile in endpoint.profiles:
        rules += [f"--jump {chain_name('cali-pri-' if ingress else 'cali-pro-', profile)}", PROFILE_ACCEPTED]
    rules.append('-m comment --comment "Drop if no profiles matched" --jump DROP')
    return Chain(chain_name("cali-tw-" if ingress else "cali-fw-", endpoint.iface), tuple(rules))


def tier_block(calls: tuple[str, ...]) -> list[str]:
    """What an endpoint chain does before its profiles when policies select the pod."""
    rules = [f'-m comment --comment "Start of tier {TIER}" --jump MARK --set-mark 0/{PASS:#x}']
    for name in calls:
        rules += [f"-m mark --mark 0/{PASS:#x} --jump {name}",
                  '-m comment --comment "Return if policy accepted" '
                  f"-m mark --mark {ACCEPT:#x}/{ACCEPT:#x} --jump RETURN"]
    rules.append(f'-m comment --comment "End of tier {TIER}. Drop if no policies passed packet" '
                 f"-m mark --mark 0/{PASS:#x} --jump DROP")
    return rules


def profile_chains(profile: str) -> list[Chain]:
    """A namespace's profile allows everything both ways; a service account's holds no rule."""
    chains = []
    for prefix, direction in (("cali-pri-", "ingress"), ("cali-pro-", "egress")):
        comment = f'-m comment --comment "Profile {profile} {direction}"'
        allow = f" --jump MARK --set-mark {ACCEPT:#x}/{ACCEPT:#x}" if profile.startswith("kns.") else ""
        chains.append(Chain(chain_name(prefix, profile), (comment + allow,)))
    return chains


# -- nat ---------------------------------------------------------------------------------------------------

def nat_chains(config: CalicoConfig, tunnel: str | None) -> list[Chain]:
    postrouting = ["--jump cali-fip-snat", "--jump cali-nat-outgoing"]
    if tunnel:  # a node's own traffic into the tunnel leaves from its tunnel address, so replies come back in it
        postrouting.append(f"--out-interface {tunnel} -m addrtype ! --src-type LOCAL --limit-iface-out "
                           "-m addrtype --src-type LOCAL --jump MASQUERADE --random-fully")
    outgoing = [f"-m set --match-set {MASQ_POOLS} src -m set ! --match-set {ALL_POOLS} dst "
                "--jump MASQUERADE --random-fully"] if config.nat_outgoing else []
    return [Chain("cali-PREROUTING", ("--jump cali-fip-dnat",)), Chain("cali-OUTPUT", ("--jump cali-fip-dnat",)),
            Chain("cali-POSTROUTING", tuple(postrouting)), Chain("cali-fip-dnat"), Chain("cali-fip-snat"),
            Chain("cali-nat-outgoing", tuple(outgoing))]


# -- payloads ----------------------------------------------------------------------------------------------

def chains_payload(config: CalicoConfig, tunnel: str | None, endpoints: list[Endpoint],
                   policies: tuple[Chain, ...] = ()) -> str:
    """felix's own chains in the filter and nat tables (an iptables-restore --noflush payload)."""
    lines: list[str] = []
    for table, chains in (("filter", filter_chains(config, endpoints, policies)), ("nat", nat_chains(config, tunnel))):
        lines += [f"*{table}", *(f":{c.name} - [0:0]" for c in chains)]
        for chain in chains:
            lines += chain.lines()
        lines.append("COMMIT")
    return "\n".join(lines) + "\n"


def hooks_payload() -> str:
    """felix's jumps at the top of the built-in chains, and the rules it appends to FORWARD and POSTROUTING."""
    forward_appends = Chain("FORWARD", (
        f'-m comment --comment "Policy explicitly accepted packet." -m mark --mark {ACCEPT:#x}/{ACCEPT:#x} '
        "--jump ACCEPT",
        f"--jump MARK --set-mark {ACCEPT:#x}/{ACCEPT:#x}"))
    return "\n".join([
        "*filter",
        *Chain("INPUT", ("--jump cali-INPUT",)).lines(insert=True),
        *Chain("FORWARD", ("--jump cali-FORWARD",)).lines(insert=True),
        *Chain("OUTPUT", ("--jump cali-OUTPUT",)).lines(insert=True),
        *forward_appends.lines(append=True),
        "COMMIT",
        "*nat",
        *Chain("PREROUTING", ("--jump cali-PREROUTING",)).lines(insert=True),
        *Chain("OUTPUT", ("--jump cali-OUTPUT",)).lines(insert=True),
        *Chain("POSTROUTING", ("--jump cali-POSTROUTING",)).lines(append=True),
        "COMMIT", ""])


def host_sets(config: CalicoConfig, pool: str, nodes: list[str],
              policies: dict[str, tuple[str, list[str]]] | None = None) -> str:
    """The ipsets felix's rules match: the pools (hash:net), the nodes a tunnel packet may come from, and the
    policies' selector and named-port sets."""
    members = {ALL_POOLS: [pool]}
    if config.nat_outgoing:
        members[MASQ_POOLS] = [pool]
    if config.mode == IPIP:
        members[ALL_HOSTS] = [f"{ip}/32" for ip in nodes]
    elif config.mode == VXLAN:
        members[VXLAN_HOSTS] = [f"{ip}/32" for ip in nodes]
    typed = {name: ("hash:net", items) for name, items in members.items()} | (policies or {})
    lines = []
    for name in sorted(typed):
        kind, items = typed[name]
        lines.append(f"create {name} {kind} family inet hashsize 1024 maxelem 1048576")
        lines += [f"add {name} {item}" for item in items]
    return "\n".join(lines) + "\n"
