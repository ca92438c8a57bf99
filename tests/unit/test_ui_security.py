"""`netlab ui` runs as root beside a lab: what its server answers is a security boundary. These tests speak HTTP to
the real server (uvicorn, on loopback) showing a topology file, and try what an attacker would: no token, a wrong
one, another site's page (Origin, Sec-Fetch-Site), another host name (DNS rebinding), paths out of the static
folder, methods and routes that do not exist, and oversized or malformed requests."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator

import pytest

from tests.ui_harness import ROOT, Running, running

TOPOLOGY = str(ROOT / "topologies" / "services-iptables.yaml")


@pytest.fixture(scope="module")
def ui() -> Iterator[Running]:
    with running(TOPOLOGY) as r:
        yield r


def request(ui: Running, method: str, path: str, *, body: bytes | str | None = None, token: str | None = "ok",
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request; token "ok" sends the right one as the page's cookie does, None sends none."""
    conn = http.client.HTTPConnection("127.0.0.1", ui.port, timeout=20)
    sent = {"Host": f"127.0.0.1:{ui.port}", **(headers or {})}
    if token is not None:
        sent.setdefault("Cookie", f"netlab_ui_{ui.port}={ui.token if token == 'ok' else token}")
    if body is not None:
        sent.setdefault("Content-Type", "application/json")
    conn.request(method, path, body=body, headers=sent)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def raw(ui: Running, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", ui.port), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


@pytest.mark.parametrize("path", ["/", "/api/lab", "/api/state", "/api/events", "/static/app.js",
                                  "/api/counters?member=node1"])
def test_nothing_is_answered_without_the_token(ui: Running, path: str) -> None:
    status, _, body = request(ui, "GET", path, token=None)
    assert status == 401
    assert b"token" in body and b"svg" not in body and b"function" not in body


@pytest.mark.parametrize("how", ["cookie", "query", "header"])
def test_a_wrong_token_is_refused_however_it_comes(ui: Running, how: str) -> None:
    wrong = ui.token[:-1] + ("0" if ui.token[-1] != "0" else "1")
    if how == "cookie":
        status, _, _ = request(ui, "GET", "/api/lab", token=wrong)
    elif how == "query":
        status, _, _ = request(ui, "GET", f"/?token={wrong}", token=None)
    else:
        status, _, _ = request(ui, "GET", "/api/lab", token=None, headers={"Authorization": f"token {wrong}"})
    assert status == 401


def test_the_printed_url_sets_a_strict_cookie_and_takes_the_token_out_of_the_address(ui: Running) -> None:
    status, headers, _ = request(ui, "GET", f"/?token={ui.token}", token=None)
    assert status == 303
    assert headers["location"] == "/"
    cookie = headers["set-cookie"]
    assert cookie.startswith(f"netlab_ui_{ui.port}={ui.token}")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_with_the_token_the_page_and_its_data_come_with_a_strict_policy(ui: Running) -> None:
    status, headers, body = request(ui, "GET", "/")
    assert status == 200 and b"<script src=\"/static/app.js\"" in body
    assert "script-src" not in headers["content-security-policy"]  # default-src 'self': no inline script
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer" and headers["x-frame-options"] == "DENY"
    status, _, body = request(ui, "GET", "/api/lab", token=None, headers={"Authorization": f"token {ui.token}"})
    assert status == 200 and json.loads(body)["lab"] == "services-iptables"


@pytest.mark.parametrize("origin", ["http://evil.example", "null", f"http://127.0.0.1:1{''}", "https://127.0.0.1"])
def test_another_sites_page_is_refused_even_with_the_token(ui: Running, origin: str) -> None:
    status, _, _ = request(ui, "POST", "/api/trace", body='{"source": "client1", "target": "web:80"}',
                           headers={"Origin": origin})
    assert status == 403


def test_a_cross_site_fetch_is_refused(ui: Running) -> None:
    status, _, _ = request(ui, "GET", "/api/lab", headers={"Sec-Fetch-Site": "cross-site"})
    assert status == 403


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "", "0.0.0.0:{port}"])
def test_a_request_for_another_host_is_refused(ui: Running, host: str) -> None:
    """DNS rebinding: a page at evil.example whose name now points at 127.0.0.1 still says Host: evil.example."""
    status, _, _ = request(ui, "GET", "/api/lab", headers={"Host": host.format(port=ui.port)})
    assert status == 421


def test_the_same_origin_and_localhost_are_answered(ui: Running) -> None:
    assert request(ui, "GET", "/api/lab", headers={"Origin": ui.base})[0] == 200
    assert request(ui, "GET", "/api/lab", headers={"Host": f"localhost:{ui.port}"})[0] == 200


@pytest.mark.parametrize("path", ["/static/../server.py", "/static/%2e%2e/server.py", "/static/..%2fserver.py",
                                  "/static/%2e%2e%2f%2e%2e%2fcli.py", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
                                  "/../../etc/passwd", "/static/..%5cserver.py", "/static/style.css%00.py"])
def test_no_path_leaves_the_static_folder(ui: Running, path: str) -> None:
    status, _, body = raw_get(ui, path)
    assert status in (400, 404), (path, status)
    assert b"def serve" not in body and b"root:" not in body and b"import" not in body


def raw_get(ui: Running, path: str) -> tuple[int, dict[str, str], bytes]:
    """A GET with the path exactly as written (http.client would not send some of them)."""
    answer = raw(ui, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{ui.port}\r\nCookie: netlab_ui_{ui.port}={ui.token}\r\n"
                     "Connection: close\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), {}, body


def test_the_static_files_are_served(ui: Running) -> None:
    status, headers, body = request(ui, "GET", "/static/app.js")
    assert status == 200 and b"EventSource" in body


@pytest.mark.parametrize("path", ["/api/exec", "/api/run", "/api/apply", "/api/fault", "/api/down", "/api/file"])
def test_there_is_nothing_but_probes_traces_and_reading(ui: Running, path: str) -> None:
    assert request(ui, "POST", path, body='{"command": "id"}')[0] == 404


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/trace"), ("PUT", "/api/trace"), ("DELETE", "/api/lab"),
                                              ("POST", "/api/lab"), ("PATCH", "/api/matrix")])
def test_other_methods_are_refused(ui: Running, method: str, path: str) -> None:
    assert request(ui, method, path, body="{}" if method != "GET" else None)[0] == 405


def test_an_oversized_body_is_refused_before_it_is_read(ui: Running) -> None:
    answer = raw(ui, (f"POST /api/trace HTTP/1.1\r\nHost: 127.0.0.1:{ui.port}\r\nCookie: netlab_ui_{ui.port}="
                      f"{ui.token}\r\nContent-Length: 10000000\r\nContent-Type: application/json\r\n"
                      "Connection: close\r\n\r\n{").encode())
    assert answer.startswith(b"HTTP/1.1 413")
    status, _, _ = request(ui, "POST", "/api/trace", body=json.dumps({"source": "x" * 5000, "target": "web:80"}))
    assert status == 413


def test_a_body_without_a_length_is_refused(ui: Running) -> None:
    answer = raw(ui, (f"POST /api/trace HTTP/1.1\r\nHost: 127.0.0.1:{ui.port}\r\nCookie: netlab_ui_{ui.port}="
                      f"{ui.token}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                      "2\r\n{}\r\n0\r\n\r\n").encode())
    assert answer.startswith(b"HTTP/1.1 411")


def test_oversized_headers_and_broken_http_are_refused(ui: Running) -> None:
    answer = raw(ui, (f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{ui.port}\r\nX-Big: {'a' * 70000}\r\n\r\n").encode())
    assert answer.startswith(b"HTTP/1.1 431"), answer[:40]
    assert raw(ui, b"BLAH\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert request(ui, "GET", "/api/lab")[0] == 200  # and it still serves


@pytest.mark.parametrize(("body", "message"), [
    ("not json", "not JSON"), ("[1, 2]", "not a JSON object"), ('{"source": "client1"}', "'target' is required"),
    ('{"source": "client1", "target": "web:80", "command": "id"}', "unknown field"),
    ('{"source": {"a": 1}, "target": "web:80"}', "short string"),
    ('{"source": "client1", "target": "web:80", "proto": "sctp"}', "icmp, tcp or udp"),
    ('{"source": "nobody", "target": "web:80"}', "nobody"),
    ('{"source": "client1", "target": "web:99999"}', "port"),
    ('{"source": "client1; reboot", "target": "web:80"}', "client1; reboot"),
])
def test_a_malformed_trace_request_gets_one_clear_message(ui: Running, body: str, message: str) -> None:
    status, _, answer = request(ui, "POST", "/api/trace", body=body)
    assert status == 400
    assert message in json.loads(answer)["error"]


def test_a_topology_file_is_shown_read_only(ui: Running) -> None:
    status, _, answer = request(ui, "GET", "/api/counters?member=node1")
    assert status == 400 and "lab that is up" in json.loads(answer)["error"]
    status, _, answer = request(ui, "GET", "/api/state")
    assert status == 200 and json.loads(answer)["live"] is False


@pytest.mark.parametrize(("listen", "message"), [("0.0.0.0", "name one address"), ("::", "name one address"),
                                                 ("localhost; rm", "not an IP address")])
def test_the_command_refuses_an_address_it_could_not_check_hosts_against(
        listen: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    from netlab.cli import main
    assert main(["ui", TOPOLOGY, "--listen", listen, "--port", "0"]) == 2
    assert message in capsys.readouterr().err


def test_a_websocket_upgrade_is_refused(ui: Running) -> None:
    answer = raw(ui, (f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:{ui.port}\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    assert not answer.startswith(b"HTTP/1.1 101")


def test_a_second_trace_while_one_runs_is_refused_not_queued(ui: Running) -> None:
    from netlab.errors import UsageError
    with ui.view._one_at_a_time(), pytest.raises(UsageError, match="is running"):
        ui.view.trace("client1", "web:80", "tcp")
