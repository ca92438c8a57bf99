"""Each namespace's /etc/resolv.conf, as the machine it stands for would have it.

A pod's is kubelet's (pkg/kubelet/network/dns/dns.go), from its dnsPolicy:
  ClusterFirst  the cluster's DNS only (kube-dns's ClusterIP); search <ns>.svc.<domain> svc.<domain> <domain>,
                then the node's own search list; options ndots:5 (the node's options are dropped)
  Default       the node's resolv.conf as it is
  None          nothing but what spec.dnsConfig gives
then spec.dnsConfig is added: nameservers and searches appended (each once), options merged by name (the
pod's value wins), and the result cut to kubelet's limits: 3 nameservers, 32 search domains, 2048 characters.

A node's, an internet host's and a Docker container's (dockerd copies its host's) name the internet's name
server. They are written to /etc/netns/<namespace>/resolv.conf, which `ip netns exec` (and so `netlab exec`)
shows the namespace as /etc/resolv.conf.
"""

from __future__ import annotations

from dataclasses import dataclass

from netlab.topology.model import DnsConfig, Pod

MAX_NAMESERVERS = 3  # pkg/apis/core/validation: MaxDNSNameservers
MAX_SEARCHES = 32  # MaxDNSSearchPaths
MAX_SEARCH_CHARS = 2048  # MaxDNSSearchListChars
MAX_DOMAIN = 253
POLICIES = ("ClusterFirst", "Default", "None")


@dataclass(frozen=True)
class Resolv:
    nameservers: tuple[str, ...] = ()
    searches: tuple[str, ...] = ()
    options: tuple[str, ...] = ()

    def text(self) -> str:
        # The order containerd writes: search, nameservers, options.
        lines = [f"search {' '.join(self.searches)}"] if self.searches else []
        lines += [f"nameserver {n}" for n in self.nameservers]
        lines += [f"options {' '.join(self.options)}"] if self.options else []
        return "\n".join(lines) + "\n"


def host_resolv(nameserver: str) -> Resolv:
    """A node's or an internet host's: the internet's name server, nothing else."""
    return Resolv((nameserver,))


def pod_resolv(pod: Pod, node: Resolv, cluster_dns: str | None, domain: str) -> Resolv:
    if pod.dns_policy == "None":
        base = Resolv()
    elif pod.dns_policy == "ClusterFirst" and cluster_dns is not None:
        searches = (f"{pod.namespace}.svc.{domain}", f"svc.{domain}", domain, *node.searches)
        base = Resolv((cluster_dns,), _once(searches), ("ndots:5",))
    else:  # Default, or ClusterFirst in a lab without cluster DNS (kubelet then falls back to Default)
        base = node
    return _limits(_merged(base, pod.dns_config) if pod.dns_config else base)


def _merged(base: Resolv, extra: DnsConfig) -> Resolv:
    options: dict[str, str | None] = {}
    for option in base.options:
        name, sep, value = option.partition(":")
        options[name] = value if sep else None
    for name, extra_value in extra.options:
        options[name] = extra_value
    return Resolv(_once((*base.nameservers, *extra.nameservers)), _once((*base.searches, *extra.searches)),
                  tuple(f"{name}:{value}" if value else name for name, value in options.items()))


def _limits(r: Resolv) -> Resolv:
    searches = [s for s in r.searches[:MAX_SEARCHES] if len(s) <= MAX_DOMAIN]
    while searches and len(" ".join(searches)) > MAX_SEARCH_CHARS:
        searches.pop()
    return Resolv(r.nameservers[:MAX_NAMESERVERS], tuple(searches), r.options)


def _once(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
