"""kube-proxy's userspace mode, the proxy itself (pkg/proxy/userspace: proxysocket.go, roundrobin.go): one
process per node, a socket per Service port on its proxy port, and for every connection it accepts a second
one, of its own, to an endpoint it picks.

    python -m netlab.workloads.userspace_proxy --config STATE/kube-proxy/node1.json [--ready-fd N]
    python -m netlab.workloads.userspace_proxy --reload --config STATE/kube-proxy/node1.json

The config (JSON, written by netlab): {"node", "services": [{"name", "protocol", "proxy_port", "claims",
"endpoints": ["ip:port", …], "affinity": "None" | "ClientIP", "affinity_timeout"}]}. SIGHUP reads it again (what
`netlab apply` does through --reload): a Service keeps its sockets, and gets the new endpoints.

Endpoints are taken round robin, per Service port (roundrobin.go's NextEndpoint); with ClientIP affinity a client
keeps its endpoint until it has been idle for the timeout. TCP: both directions copied until either side closes.
UDP: a socket per client to its endpoint, closed after 250 ms of silence (kube-proxy's --udp-timeout). The node
ports are held open too (claimNodePort), though iptables never lets a packet reach them. Standard library only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from netlab.workloads import signal_ready, signal_reload

UDP_IDLE = 0.25  # kube-proxy's --udp-timeout default
CONNECT_TIMEOUT = 2.0


@dataclass
class Balancer:
    """roundrobin.go for one Service port: the next endpoint, or the one a client has (ClientIP affinity)."""

    endpoints: list[tuple[str, int]]
    affinity: bool = False
    timeout: float = 10800.0
    index: int = 0
    clients: dict[str, tuple[tuple[str, int], float]] = field(default_factory=dict)

    def next(self, client: str) -> tuple[str, int] | None:
        if not self.endpoints:
            return None
        now = time.monotonic()
        if self.affinity and client in self.clients:
            chosen, last = self.clients[client]
            if chosen in self.endpoints and now - last < self.timeout:
                self.clients[client] = (chosen, now)
                return chosen
        chosen = self.endpoints[self.index % len(self.endpoints)]
        self.index += 1
        if self.affinity:
            self.clients[client] = (chosen, now)
        return chosen


def parse(endpoint: str) -> tuple[str, int]:
    ip, _, port = endpoint.rpartition(":")
    return ip, int(port)


def log(text: str) -> None:
    with contextlib.suppress(OSError):
        os.write(1, f"{time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime())} {text}\n".encode())


class Proxy:
    """Every Service port's socket, kept across reloads while the port stays."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self.balancers: dict[tuple[str, int], Balancer] = {}  # (protocol, proxy port) → its balancer
        self.names: dict[tuple[str, int], str] = {}
        self.servers: dict[tuple[str, int], object] = {}  # asyncio servers and datagram transports
        self.claims: dict[tuple[str, int], socket.socket] = {}

    async def load(self) -> None:
        services = json.loads(self.config.read_text())["services"]
        wanted = {(s["protocol"], s["proxy_port"]): s for s in services}
        for key in [k for k in self.servers if k not in wanted]:
            server = self.servers.pop(key)
            server.close()  # type: ignore[attr-defined]
            self.balancers.pop(key, None)
        for key, s in wanted.items():
            endpoints = [parse(e) for e in s["endpoints"]]
            balancer = self.balancers.get(key)
            if balancer is None:
                self.balancers[key] = Balancer(endpoints, s["affinity"] == "ClientIP", float(s["affinity_timeout"]))
            else:
                balancer.endpoints = endpoints
            self.names[key] = s["name"]
            if key not in self.servers:
                self.servers[key] = await self.open(*key)
        claimed = {(s["protocol"], port) for s in services for port in s["claims"]}
        for key in [k for k in self.claims if k not in claimed]:
            self.claims.pop(key).close()
        for proto, port in claimed - self.claims.keys():
            self.claims[(proto, port)] = claim(proto, port)

    async def open(self, proto: str, port: int) -> object:
        loop = asyncio.get_running_loop()
        if proto == "tcp":
            return await asyncio.start_server(lambda r, w: self.relay_tcp(port, r, w), "0.0.0.0", port,
                                              reuse_address=True)
        transport, _ = await loop.create_datagram_endpoint(lambda: UdpPortal(self, port),
                                                           local_addr=("0.0.0.0", port))
        return transport

    async def relay_tcp(self, port: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        client = writer.get_extra_info("peername")
        endpoint = self.balancers[("tcp", port)].next(client[0])
        if endpoint is None:  # no endpoints: kube-proxy closes the connection it accepted
            log(f"tcp {client[0]}:{client[1]} ({self.names[('tcp', port)]}): no endpoints, closed")
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection(*endpoint), CONNECT_TIMEOUT)
        except OSError as e:  # refused, unreachable, or no answer in time (TimeoutError)
            log(f"tcp {client[0]}:{client[1]} ({self.names[('tcp', port)]}): "
                f"{endpoint[0]}:{endpoint[1]} failed: {e}")
            writer.close()
            return
        mine = up_writer.get_extra_info("sockname")
        log(f"tcp {client[0]}:{client[1]} → :{port} ({self.names[('tcp', port)]}) → "
            f"{mine[0]}:{mine[1]} → {endpoint[0]}:{endpoint[1]}")
        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))


async def copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            if writer.can_write_eof():
                writer.write_eof()
            else:
                writer.close()


class UdpPortal(asyncio.DatagramProtocol):
    """One Service port's UDP socket: a connected socket per client towards its endpoint (udp_server.go)."""

    def __init__(self, proxy: Proxy, port: int) -> None:
        self.proxy, self.port = proxy, port
        self.transport: asyncio.DatagramTransport | None = None
        self.clients: dict[tuple[str, int], asyncio.DatagramTransport] = {}
        self.seen: dict[tuple[str, int], float] = {}

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.seen[addr] = time.monotonic()
        upstream = self.clients.get(addr)
        if upstream is not None:
            upstream.sendto(data)
            return
        endpoint = self.proxy.balancers[("udp", self.port)].next(addr[0])
        if endpoint is not None:
            asyncio.ensure_future(self.connect(addr, endpoint, data))

    async def connect(self, addr: tuple[str, int], endpoint: tuple[str, int], first: bytes) -> None:
        loop = asyncio.get_running_loop()
        portal = self

        class Back(asyncio.DatagramProtocol):
            def datagram_received(self, data: bytes, _: tuple[str, int]) -> None:
                portal.seen[addr] = time.monotonic()
                if portal.transport is not None:
                    portal.transport.sendto(data, addr)

        transport, _ = await loop.create_datagram_endpoint(Back, remote_addr=endpoint)
        self.clients[addr] = transport
        log(f"udp {addr[0]}:{addr[1]} → :{self.port} ({self.proxy.names[('udp', self.port)]}) → "
            f"{endpoint[0]}:{endpoint[1]}")
        transport.sendto(first)
        while time.monotonic() - self.seen.get(addr, 0) < UDP_IDLE:
            await asyncio.sleep(UDP_IDLE)
        self.clients.pop(addr, None)
        transport.close()

    def close(self) -> None:
        for transport in self.clients.values():
            transport.close()
        if self.transport is not None:
            self.transport.close()


def claim(proto: str, port: int) -> socket.socket:
    """claimNodePort: hold the node port open (listening, for TCP), so that no other program takes it."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    if proto == "tcp":
        s.listen()
    return s


async def serve(args: argparse.Namespace) -> None:
    proxy = Proxy(args.config)
    await proxy.load()
    args.config.with_suffix(".pid").write_text(f"{os.getpid()}\n")
    if args.ready_fd is not None:
        signal_ready(args.ready_fd, "userspace_proxy")
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(reload(proxy)))
    await stop.wait()


async def reload(proxy: Proxy) -> None:
    await proxy.load()
    log("configuration read again")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m netlab.workloads.userspace_proxy")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--ready-fd", type=int, metavar="N")
    parser.add_argument("--reload", action="store_true", help="make the running proxy read its config again")
    args = parser.parse_args(argv)
    if args.reload:
        signal_reload(args.config)
        return
    asyncio.run(serve(args))
    sys.exit(0)


if __name__ == "__main__":
    main()
