"""Hostile input: every topology in tests/hostile/corpus.py is refused by `netlab validate` and `netlab up`
with exit status 2 and a message naming the problem, in bounded time and memory, creating nothing; random
documents never crash the loader; and no subprocess goes through a shell."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netlab import naming
from netlab.compile import compile_plan
from netlab.errors import TopologyError
from netlab.kernel import netns
from netlab.plan import Daemon
from netlab.topology import load_topology_text
from netlab.naming import is_name
from tests.hostile.corpus import cases

ROOT = Path(__file__).parents[2]
CASES = list(cases())
MEMORY_LIMIT = 1 << 30  # address space for the whole corpus run: a bomb that got through would hit it
PEAK_MB = 256  # resident memory for all of it (about 70 MB here: the 10,000-pod and 3 MB files are the biggest)
CASE_SECONDS = 10  # a guard against hangs, not a speed target (the slowest case takes about half a second)

# Runs `netlab validate FILE` and then `netlab up FILE` (only if validate refused it: a case that slipped
# through must not be built) for each file, in one process under an address-space limit.
DRIVER = """
import contextlib, io, json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
from netlab.cli import main
results = []
for path in sys.argv[2:]:
    row = {"path": path}
    for command in ("validate", "up"):
        err, started = io.StringIO(), time.monotonic()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main([command, path])
        row[command] = {"code": code, "stderr": err.getvalue(), "seconds": time.monotonic() - started}
        if code != 2:
            break
    results.append(row)
print(json.dumps({"results": results, "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def test_the_corpus_is_big_and_its_ids_unique() -> None:
    assert len(CASES) >= 100
    assert len({case_id for case_id, _, _ in CASES}) == len(CASES)


def netlab_marks() -> tuple[list[str], list[str]]:
    run_dir = Path(os.environ.get("NETLAB_RUN_DIR", "/run/netlab"))
    labs = sorted(p.name for p in run_dir.iterdir()) if run_dir.is_dir() else []
    return [n for n in netns.list_names() if naming.split_netns(n)], labs


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    directory = tmp_path_factory.mktemp("hostile")
    paths = []
    for i, (_, doc, _) in enumerate(CASES):
        path = directory / f"case{i:03}.yaml"
        path.write_bytes(doc if isinstance(doc, bytes) else doc.encode())
        paths.append(str(path))
    before = netlab_marks()
    done = subprocess.run([sys.executable, "-c", DRIVER, str(MEMORY_LIMIT), *paths], capture_output=True,
                          text=True, timeout=600, cwd=str(ROOT))
    assert done.returncode == 0, done.stderr[-3000:]
    data: dict[str, Any] = json.loads(done.stdout)
    data["created"] = netlab_marks() != before
    return data


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case_id for case_id, _, _ in CASES])
def test_each_hostile_topology_is_refused_with_a_message_naming_it(corpus_run: dict[str, Any], index: int) -> None:
    _, _, expected = CASES[index]
    row = corpus_run["results"][index]
    for command in ("validate", "up"):
        result = row[command]
        assert result["code"] == 2, f"netlab {command}: {result['stderr']}"
        assert expected in result["stderr"], result["stderr"]
        assert "Traceback" not in result["stderr"]
        assert result["seconds"] < CASE_SECONDS


def test_the_corpus_created_nothing_and_stayed_within_memory(corpus_run: dict[str, Any]) -> None:
    if os.geteuid() == 0:  # only root sees every namespace; as a user nothing could have been created anyway
        assert corpus_run["created"] is False
    assert corpus_run["peak_rss_kb"] < PEAK_MB * 1024


# -- random documents --------------------------------------------------------------------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                    st.text(max_size=20), st.sampled_from(["a", "node1", "10.244.0.0/16", "http:80", "8080:80",
                                                            "a;rm -rf /", "$(id)", "é", "x" * 70, "None"]))
NAMES = st.one_of(st.sampled_from(["a", "b", "web", "node1", "node2", "n-1"]), st.text(max_size=20))


def item(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


DOCUMENTS = st.fixed_dictionaries({"name": NAMES}, optional={
    "cluster": item({"cni": st.sampled_from(["docker-bridge", "flannel-vxlan", "host-gw", "lan-bridge", "x"]),
                     "proxy": st.sampled_from(["none", "iptables", "nftables", "ipvs", "y"]),
                     "podCIDR": st.one_of(SCALARS, st.sampled_from(["10.244.0.0/16", "127.0.0.0/8", "10.0.0.0/30"])),
                     "nodeSubnetLen": SCALARS}),
    "nodes": st.lists(item({"name": NAMES, "ip": SCALARS}), max_size=4),
    "pods": st.lists(item({"name": NAMES, "node": NAMES, "ip": SCALARS, "labels": st.dictionaries(NAMES, SCALARS),
                           "serve": st.lists(st.one_of(SCALARS, st.sampled_from(["http:80", "udp:53"]))),
                           "publish": st.lists(SCALARS, max_size=2)}), max_size=6),
    "services": st.lists(item({"name": NAMES, "type": st.sampled_from(["ClusterIP", "NodePort", "LoadBalancer"]),
                               "selector": st.dictionaries(NAMES, SCALARS, max_size=2),
                               "ports": st.lists(item({"port": SCALARS, "name": NAMES, "nodePort": SCALARS}),
                                                 max_size=2)}), max_size=3),
    "internet": item({"hosts": st.lists(item({"name": NAMES, "serve": st.lists(SCALARS, max_size=2)}), max_size=2)}),
    "probes": st.lists(item({"from": NAMES, "to": st.one_of(NAMES, SCALARS), "protocol": SCALARS}), max_size=3),
    "extra": SCALARS,
})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=DOCUMENTS)
def test_random_documents_load_or_are_refused_and_valid_names_are_safe(document: dict[str, Any]) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    try:
        topology = load_topology_text(text)
    except TopologyError as e:
        assert e.problems and all(p.message for p in e.problems)
        return
    # Whatever got through is a set of DNS labels, and so is everything that reaches a command line.
    names = [topology.name] + [n.name for n in topology.nodes] + [p.name for p in topology.pods] + [
        h.name for h in topology.internet.hosts] + [s.name for s in topology.services]
    assert all(is_name(n) for n in names), names
    for step in compile_plan(topology).steps:
        if isinstance(step, Daemon):
            assert all(not any(c in arg for c in " ;|&$`'\"<>\n") for arg in step.argv), step.argv


# -- no shell, ever ----------------------------------------------------------------------------------------

def test_no_subprocess_in_netlab_goes_through_a_shell() -> None:
    offenders = []
    for path in sorted((ROOT / "netlab").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = ast.unparse(node.func)
            if func in ("os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"):
                offenders.append(f"{path.name}:{node.lineno} {func}")
            if any(k.arg == "shell" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                   for k in node.keywords):
                offenders.append(f"{path.name}:{node.lineno} shell=")
            for arg in node.args[:1]:
                if isinstance(arg, ast.List) and [ast.unparse(e) for e in arg.elts[:2]] in (
                        ["'sh'", "'-c'"], ["'bash'", "'-c'"]):
                    offenders.append(f"{path.name}:{node.lineno} a shell -c")
    assert offenders == []
