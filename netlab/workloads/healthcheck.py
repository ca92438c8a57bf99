"""kube-proxy's health check server: for each LoadBalancer Service with externalTrafficPolicy Local, an HTTP
server on its healthCheckNodePort, on every node, telling a load balancer whether this node has an endpoint of
it — 200 with the count, 503 with none — so that it sends outside traffic only to nodes that can keep the
client's address (pkg/proxy/healthcheck/service_health.go, hcHandler). Any path, any method: the same answer.

    python -m netlab.workloads.healthcheck --service default/web:30000:1 [--service …] [--ready-fd N]
"""

from __future__ import annotations

import argparse
import http.server
import json
import threading
from typing import Any

from netlab.workloads import Stop, signal_ready, stop_on_signals


def body(namespace: str, name: str, count: int) -> bytes:
    """The handler's text: its Go template dedented, tabs and all (Content-Length 127 for default/wp-nginx-service,
    one endpoint, as a real kube-proxy answers)."""
    return (f'{{\n\t"service": {{\n\t\t"namespace": {json.dumps(namespace)},\n\t\t"name": {json.dumps(name)}\n\t}},\n'
            f'\t"localEndpoints": {count},\n\t"serviceProxyHealthy": true\n}}').encode()


def handler(namespace: str, name: str, count: int) -> type[http.server.BaseHTTPRequestHandler]:
    class Health(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # as Go's net/http answers curl

        def answer(self) -> None:
            self.send_response_only(200 if count else 503)  # Go sends a Date and no Server header
            self.send_header("Date", self.date_time_string())
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("X-Load-Balancing-Endpoint-Weight", str(count))
            text = body(namespace, name, count)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

        do_GET = do_HEAD = do_POST = do_OPTIONS = answer  # noqa: N815 (http.server's names)

        def log_message(self, format: str, *args: Any) -> None:  # one line per probe would drown the log
            pass

    return Health


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m netlab.workloads.healthcheck")
    parser.add_argument("--service", action="append", default=[], metavar="NS/NAME:PORT:COUNT", required=True)
    parser.add_argument("--ready-fd", type=int, metavar="N")
    args = parser.parse_args(argv)
    stop_on_signals()
    servers = []
    for spec in args.service:
        who, port, count = spec.rsplit(":", 2)
        namespace, name = who.split("/", 1)
        server = http.server.ThreadingHTTPServer(("0.0.0.0", int(port)), handler(namespace, name, int(count)))
        server.daemon_threads = True
        servers.append(server)
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    if args.ready_fd is not None:
        signal_ready(args.ready_fd, "healthcheck")
    try:
        threading.Event().wait()
    except Stop:
        pass


if __name__ == "__main__":
    main()
