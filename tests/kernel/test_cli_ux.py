"""Everyday command-line use on a real lab: shell completion, `netlab capture`, JSON and plain output."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from netlab import naming
from netlab.kernel import netns

from .conftest import LabFactory, netlab, netlab_popen

LAB = "name: uxlab\npods: [{name: a}, {name: b}]\n"


def completions(words: str, index: int) -> list[str]:
    done = netlab(env={"_NETLAB_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(index)})
    return [line.split(",", 1)[1] for line in done.stdout.splitlines()]


def test_shell_completion_offers_commands_labs_and_their_members(lab: LabFactory) -> None:
    lab(LAB)
    assert "capture" in completions("netlab ca", 1)
    assert "uxlab" in completions("netlab exec ux", 2)
    assert completions("netlab exec uxlab ", 3) == ["a", "b", "internet", "node1", "ns1", "underlay"]
    assert completions("netlab trace uxlab n", 3) == ["node1", "ns1"]  # ns1: the internet's name server


def test_capture_writes_a_pcap_of_the_packets_it_saw(lab: LabFactory, tmp_path: Path) -> None:
    lab(LAB)
    pcap = tmp_path / "node1.pcap"
    capture = netlab_popen("capture", "uxlab", "node1", "docker0", "-c", "2", "-w", str(pcap), "--", "icmp")
    try:
        time.sleep(1.0)  # tcpdump opens its socket
        netns.run(naming.netns("uxlab", "a"), ["ping", "-c", "1", "-W", "1", "172.17.0.3"])
        _, err = capture.communicate(timeout=10)
    finally:
        if capture.poll() is None:
            capture.kill()
            capture.wait()
    assert capture.returncode == 0, err
    read = subprocess.run(["tcpdump", "-n", "-r", str(pcap)], capture_output=True, text=True)
    assert read.stdout.count("ICMP echo") == 2, read.stdout  # the request and the reply, on the bridge


def test_capture_names_the_interfaces_when_one_is_wrong(lab: LabFactory) -> None:
    lab(LAB)
    done = netlab("capture", "uxlab", "node1", "eth7")
    assert done.returncode == 2 and "'node1' has no interface 'eth7'" in done.stderr and "docker0" in done.stderr


def test_graph_of_a_lab_that_is_up_draws_what_was_built(lab: LabFactory, tmp_path: Path) -> None:
    lab(LAB)
    done = netlab("graph", "uxlab", "-o", str(tmp_path / "lab.dot"))
    assert done.returncode == 0, done.stderr
    dot = (tmp_path / "lab.dot").read_text()
    assert "b_node1__docker0 -> b_a" in dot and "b_node1__docker0 -> b_b" in dot and "172.17.0.2/16" in dot
