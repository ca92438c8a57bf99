"""MetalLB's speaker in layer 2 mode, one per node: it answers ARP for the load balancer addresses its node won,
and tells the segment with gratuitous ARP when it wins one. The address is never put on an interface: the node
receives the packets because its MAC answered, and kube-proxy's "loadbalancer IP" rule DNATs them.

Who announces an address is decided the way MetalLB decides it (speaker/layer2_controller.go, ShouldAnnounce),
on every speaker alike, with no coordination: the candidates are the nodes whose speaker is alive (and, for
externalTrafficPolicy Local, that have a ready endpoint), sorted by sha256(node + "#" + address); the first one
announces. A speaker learns which speakers are alive from the others' heartbeats on UDP 7946, the port MetalLB's
memberlist uses: a node silent for DEAD_AFTER seconds (memberlist's probe and suspicion time), or one that said
"leave" as it stopped (memberlist's Leave), is out, and the next node in the order announces at once.

    python -m netlab.workloads.metallb_speaker --config STATE/metallb/node1.json [--ready-fd N]
    python -m netlab.workloads.metallb_speaker --reload --config STATE/metallb/node1.json

The config (JSON, written by netlab): {"node", "ip", "interface", "members": {node: ip}, "services": [{"name",
"ip", "candidates": [node, …]}]}. SIGHUP reads it again (`--reload` sends it to the PID the speaker wrote beside
its config, as `netlab apply` does); what the election does not change, it keeps announcing. Each change of what
it announces is one line of its log, and the file next to the config, <node>.announcing.json, says what it
announces now.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import selectors
import signal
import socket
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from netlab.workloads import Stop, signal_ready, signal_reload, stop_on_signals

MEMBERLIST_PORT = 7946
# memberlist's DefaultLANConfig, which MetalLB keeps: a probe every second, and a node that misses one is suspect
# for 4 s (SuspicionMult 4, in a small cluster) before it is dead; a suspect node is still a candidate.
HEARTBEAT_EVERY = 1.0
DEAD_AFTER = HEARTBEAT_EVERY + 4.0
GRATUITOUS_EVERY, GRATUITOUS_FOR = 1.1, 5.0  # announcer.go's spamLoop: at once, then every 1100 ms for 5 s
ETH_P_ARP = 0x0806
ARP_REQUEST, ARP_REPLY = 1, 2
BROADCAST = "ff:ff:ff:ff:ff:ff"


@dataclass(frozen=True)
class Balanced:
    """One load balancer address and the nodes that may announce it."""

    name: str  # ns/svc
    ip: str
    candidates: tuple[str, ...]


def winner(ip: str, alive: list[str]) -> str | None:
    """MetalLB's layer 2 election: the alive candidates sorted by sha256(node#ip), bytes ascending; the first."""
    ranked = sorted(alive, key=lambda node: hashlib.sha256(f"{node}#{ip}".encode()).digest())
    return ranked[0] if ranked else None


class Speaker:
    def __init__(self, config_path: Path) -> None:
        self.config_path = config_path
        self.state_path = config_path.with_suffix(".announcing.json")
        self.seen: dict[str, float] = {}  # member -> when its last heartbeat came
        self.announcing: dict[str, Balanced] = {}  # ip -> the service it is announced for
        self.spam_until: dict[str, float] = {}  # ip -> end of its gratuitous ARP burst
        self.next_spam = 0.0
        self.last_alive: set[str] | None = None  # who was alive at the last election
        self.load()

    def load(self) -> None:
        config = json.loads(self.config_path.read_text())
        self.node: str = config["node"]
        self.ip: str = config["ip"]
        self.interface: str = config["interface"]
        self.members: dict[str, str] = config["members"]  # every other node: its address
        self.services = [Balanced(s["name"], s["ip"], tuple(s["candidates"])) for s in config["services"]]
        self.last_alive = None  # new Services: every address is set again, as after a memberlist event

    def alive(self, now: float) -> set[str]:
        return {self.node} | {m for m, when in self.seen.items() if now - when < DEAD_AFTER and m in self.members}

    def elect(self, now: float) -> list[tuple[str, Balanced]]:
        """Re-runs the election for every address; returns what changed, as (won | lost, service).

        A won address starts a burst of gratuitous ARP. So does every address still announced when a speaker
        joined or left: memberlist's events make MetalLB sync every Service again (speakerlist.go, ForceSync), and
        its announcer spams even an address it already announces (announcer.go, SetBalancer). That is how a node
        back from a partition, which never stopped announcing, takes the router's entry back from the one that
        stood in for it."""
        alive = self.alive(now)
        synced, self.last_alive = alive != self.last_alive, alive
        wanted = {b.ip: b for b in self.services
                  if winner(b.ip, [n for n in b.candidates if n in alive]) == self.node}
        changes = [("lost", b) for ip, b in self.announcing.items() if ip not in wanted]
        changes += [("won", b) for ip, b in wanted.items() if ip not in self.announcing]
        self.announcing = wanted
        for verdict, b in changes:
            if verdict == "lost":
                self.spam_until.pop(b.ip, None)
        for ip in wanted if synced else [b.ip for verdict, b in changes if verdict == "won"]:
            self.spam_until[ip] = now + GRATUITOUS_FOR
            self.next_spam = now
        return changes


def log(text: str) -> None:
    print(f"{datetime.now(UTC).isoformat(timespec='milliseconds')} {text}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m netlab.workloads.metallb_speaker")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--ready-fd", type=int, metavar="N")
    parser.add_argument("--reload", action="store_true", help="make the running speaker read its config again")
    args = parser.parse_args(argv)
    pid_path = args.config.with_suffix(".pid")
    if args.reload:
        signal_reload(args.config)
        return
    # scapy builds and parses the ARP frames (a library for the wire format); imported here, not at the top, so
    # that --help and the module's tests do not pay for it.
    from scapy.layers.l2 import ARP, Ether

    speaker = Speaker(args.config)
    hangup = {"pending": False}

    def reread(signum: int, frame: FrameType | None) -> None:
        hangup["pending"] = True

    signal.signal(signal.SIGHUP, reread)
    stop_on_signals()
    arp = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
    arp.bind((speaker.interface, ETH_P_ARP))
    mac = ":".join(f"{b:02x}" for b in arp.getsockname()[4][:6])
    members = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    members.bind((speaker.ip, MEMBERLIST_PORT))
    members.setblocking(False)
    arp.setblocking(False)
    chooser = selectors.DefaultSelector()
    chooser.register(arp, selectors.EVENT_READ, "arp")
    chooser.register(members, selectors.EVENT_READ, "members")
    log(f"speaker {speaker.node}: {speaker.interface} {mac}, memberlist on {speaker.ip}:{MEMBERLIST_PORT}")

    def send_all(op: str) -> None:
        message = json.dumps({"node": speaker.node, "op": op}).encode()
        for ip in speaker.members.values():
            with contextlib.suppress(OSError):  # a member's node may be down: that is what heartbeats find out
                members.sendto(message, (ip, MEMBERLIST_PORT))

    def write_state() -> None:
        tmp = speaker.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"node": speaker.node, "mac": mac, "pid": os.getpid(),
                                   "announcing": {ip: b.name for ip, b in sorted(speaker.announcing.items())}}))
        os.replace(tmp, speaker.state_path)

    def gratuitous(ip: str) -> None:
        """A request and a reply, both from the address to itself, to the broadcast address (arp.go Gratuitous)."""
        for op in (ARP_REQUEST, ARP_REPLY):
            frame = Ether(dst=BROADCAST, src=mac) / ARP(op=op, hwsrc=mac, psrc=ip, hwdst=BROADCAST, pdst=ip)
            with contextlib.suppress(OSError):
                arp.send(bytes(frame))

    def answer(data: bytes) -> None:
        """A request for an address this node announces, broadcast or to this MAC: a reply with this MAC."""
        frame = Ether(data)
        if ARP not in frame or frame[ARP].op != ARP_REQUEST or frame[Ether].dst not in (BROADCAST, mac):
            return
        request = frame[ARP]
        if request.pdst not in speaker.announcing:
            return
        reply = Ether(dst=request.hwsrc, src=mac) / ARP(op=ARP_REPLY, hwsrc=mac, psrc=request.pdst,
                                                      hwdst=request.hwsrc, pdst=request.psrc)
        with contextlib.suppress(OSError):
            arp.send(bytes(reply))

    def elect(now: float) -> None:
        changes = speaker.elect(now)
        for verdict, b in changes:  # the won line is the speaker's nodeAssigned event
            what = (f'announcing from node "{speaker.node}" with protocol "layer2"' if verdict == "won" else
                    "withdrawn: notOwner")
            log(f"{b.name} {b.ip}: {what} (speakers alive: {', '.join(sorted(speaker.alive(now)))})")
        if changes:
            write_state()

    send_all("alive")
    now = time.monotonic()
    for member in speaker.members:  # at start every member counts as alive until it has missed its heartbeats
        speaker.seen[member] = now
    elect(now)
    write_state()
    pid_path.write_text(f"{os.getpid()}\n")
    if args.ready_fd is not None:
        signal_ready(args.ready_fd, "metallb_speaker")
    next_beat = now + HEARTBEAT_EVERY
    try:
        while True:
            now = time.monotonic()
            timeout = min(next_beat, speaker.next_spam if speaker.spam_until else next_beat) - now
            for key, _ in chooser.select(max(0.0, min(timeout, 0.2))):
                # OSError: nothing to read after all, or the link went down (ENETDOWN): a speaker outlives that,
                # as MetalLB's does, and answers again once the link is back
                if key.data == "arp":
                    with contextlib.suppress(OSError):
                        answer(arp.recv(2048))
                else:
                    with contextlib.suppress(OSError, ValueError, KeyError):
                        message = json.loads(members.recv(2048))
                        if message["op"] == "leave":
                            speaker.seen.pop(message["node"], None)
                        else:
                            speaker.seen[message["node"]] = time.monotonic()
            now = time.monotonic()
            if hangup["pending"]:
                hangup["pending"] = False
                speaker.load()
                log("configuration read again")
            if now >= next_beat:
                send_all("alive")
                next_beat = now + HEARTBEAT_EVERY
            elect(now)
            if speaker.spam_until and now >= speaker.next_spam:
                for ip, until in list(speaker.spam_until.items()):
                    if now > until:
                        del speaker.spam_until[ip]
                    else:
                        gratuitous(ip)
                speaker.next_spam = now + GRATUITOUS_EVERY
    except Stop:
        send_all("leave")  # memberlist's Leave: the others elect again at once, not after DEAD_AFTER
        speaker.announcing = {}
        write_state()
        pid_path.unlink(missing_ok=True)
        log(f"speaker {speaker.node} left")
    sys.exit(0)


if __name__ == "__main__":
    main()
