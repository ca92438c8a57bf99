"""Labs up to the validator's limits come up: the kernel is fed in batches it can answer."""

from __future__ import annotations

import os

from netlab.kernel import messages, netns
from netlab.kernel.rtnl import RtnlSocket
from netlab.plan import Bridge, LinkSet, Route


def test_a_thousand_requests_in_one_flush_are_all_acknowledged() -> None:
    """A node of a 250-node flannel lab queues three requests per remote node in one batch. Written at once, their
    acks overran the socket's receive buffer (ENOBUFS) from about a hundred nodes on."""
    with netns.anonymous():
        fd = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
        try:
            sock = RtnlSocket(fd)
            sock.queue(*messages.bridge(Bridge("", "br0", 1500), 5), tag="bridge")
            sock.flush()
            sock.queue(*messages.link_set(LinkSet("", "br0", None), 5, None), tag="up")
            for i in range(1000):
                sock.queue(*messages.route(Route("", f"10.{i // 250}.{i % 250}.0/24", "br0"), 5), tag=i)
            sock.flush()
            with open("/proc/thread-self/net/route") as table:
                assert sum(1 for line in table if line.startswith("br0")) == 1000
            sock.close()
        finally:
            os.close(fd)
