"""nginx in the ingress controller's pods, and its nginx.conf in the shape of ingress-nginx's template
(rootfs/etc/nginx/template/nginx.tmpl): the same servers, locations, variables and proxy headers, the same 404
default backend. Two things differ, and the file says so: upstreams are static `upstream` blocks listing the
endpoints (as ingress-nginx had them before its Lua balancer, which picks among the same endpoints), and there is
nothing of TLS, Lua or metrics."""

from __future__ import annotations

from netlab import naming
from netlab.features.ingress.controller import CATCH_ALL, DEFAULT_BACKEND_PORT, HTTP_PORT, Config, Location, \
    Server, Upstream, config, controller_pods, describe
from netlab.plan import PYTHON, STATE, Daemon, Note, Step
from netlab.topology.model import Topology

LOG_FORMAT = ('\'$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" '
              '"$http_user_agent" $request_length $request_time [$proxy_upstream_name] '
              '[$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time '
              '$upstream_status $req_id\'')


def render(config: Config) -> str:
    """The whole file. Its relative paths (the temporary files') are nginx's prefix, the pod's folder (-p)."""
    empty = frozenset(u.name for u in config.upstreams if not u.servers)
    lines = [
        "# Rendered by netlab from the lab's Ingresses, as ingress-nginx renders nginx.tmpl; upstreams are static",
        "# (the endpoints, as before ingress-nginx's Lua balancer). nginx is Debian's.",
        "worker_processes 1;",
        "events {",
        "    worker_connections 16384;",
        "}",
        "http {",
        *(f"    {kind}_temp_path {kind}-temp;" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")),
        f"    log_format upstreaminfo {LOG_FORMAT};",
        "    access_log /dev/stdout upstreaminfo;",
        "    # Retain the default nginx handling of requests without a \"Connection\" header",
        "    map $http_upgrade $connection_upgrade {",
        "        default          upgrade;",
        "        ''               close;",
        "    }",
        "    map $http_x_request_id $req_id {",
        "        default   $http_x_request_id;",
        '        ""        $request_id;',
        "    }",
        "    # The alternative upstream of a canary; netlab has none",
        '    map "" $proxy_alternative_upstream_name {',
        '        default "";',
        "    }",
        "",
        *(line for u in config.upstreams if u.servers for line in upstream(u)),
        *(line for s in config.servers for line in server(s, empty)),
        "    # backend for when default-backend-service is not configured or it does not have endpoints",
        "    server {",
        f"        listen {DEFAULT_BACKEND_PORT} default_server reuseport backlog=4096;",
        '        set $proxy_upstream_name "internal";',
        "",
        "        access_log off;",
        "",
        "        location / {",
        "          return 404;",
        "        }",
        "    }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def upstream(u: Upstream) -> list[str]:
    return [f"    upstream {u.name} {{", *(f"        server {address} max_fails=0 fail_timeout=0;"
                                         for address in u.servers), "    }", ""]


def server(s: Server, empty: frozenset[str]) -> list[str]:
    default = " default_server reuseport backlog=4096" if s.hostname == CATCH_ALL else ""
    return [f"    ## start server {s.hostname}",
            "    server {",
            f'        server_name {s.hostname} ;',
            "",
            f"        listen {HTTP_PORT}{default};",
            "",
            '        set $proxy_upstream_name "-";',
            "",
            *(line for loc in s.locations for line in location(loc, loc.upstream in empty)),
            "    }",
            f"    ## end server {s.hostname}",
            ""]


def location(loc: Location, no_endpoints: bool = False) -> list[str]:
    """A location of ingress-nginx's template; for a Service with no endpoint, its answer: 503."""
    match = f'= "{loc.path}"' if loc.exact else f'"{loc.path}"'
    head = [f"        location {match} {{"]
    if loc.ingress:
        namespace, name = loc.ingress.split("/")
        head += [f'            set $namespace      "{namespace}";',
                 f'            set $ingress_name   "{name}";',
                 f'            set $service_name   "{loc.service}";',
                 f'            set $service_port   "{loc.service_port}";',
                 f'            set $location_path  "{loc.ingress_path}";',
                 ""]
    if no_endpoints:  # ingress-nginx's balancer finds no endpoint: "503 Service Temporarily Unavailable"
        return head + [f'            set $proxy_upstream_name "{loc.upstream}";', "            return 503;",
                       "        }", ""]
    return head + [
        "            port_in_redirect off;",
        "",
        f'            set $proxy_upstream_name "{loc.upstream}";',
        "            set $proxy_host          $proxy_upstream_name;",
        "            set $pass_access_scheme  $scheme;",
        "            set $pass_server_port    $server_port;",
        "            set $best_http_host      $http_host;",
        "            set $pass_port           $pass_server_port;",
        "",
        "            proxy_set_header Host                   $best_http_host;",
        "",
        "            # Allow websocket connections",
        "            proxy_set_header                        Upgrade           $http_upgrade;",
        "            proxy_set_header                        Connection        $connection_upgrade;",
        "",
        "            proxy_set_header X-Request-ID           $req_id;",
        "            proxy_set_header X-Real-IP              $remote_addr;",
        "            proxy_set_header X-Forwarded-For        $remote_addr;",
        "            proxy_set_header X-Forwarded-Host       $best_http_host;",
        "            proxy_set_header X-Forwarded-Port       $pass_port;",
        "            proxy_set_header X-Forwarded-Proto      $pass_access_scheme;",
        "            proxy_set_header X-Forwarded-Scheme     $pass_access_scheme;",
        "            proxy_set_header X-Scheme               $pass_access_scheme;",
        "",
        "            # Pass the original X-Forwarded-For",
        "            proxy_set_header X-Original-Forwarded-For $http_x_forwarded_for;",
        "",
        "            # mitigate HTTPoxy Vulnerability",
        '            proxy_set_header Proxy                  "";',
        "",
        "            proxy_http_version                      1.1;",
        "",
        f"            proxy_pass http://{loc.upstream};",
        "        }",
        ""]


def folder(pod: str) -> str:
    return f"ingress/{pod}"


def compile_ingress(t: Topology) -> list[Step]:
    """Debian's nginx in every controller pod, with the rendered file; `apply` re-renders it and has nginx reload
    (`nginx -s reload`: new workers take new connections, the old ones finish theirs)."""
    controller = t.cluster.ingress
    pods = controller_pods(t)
    if controller is None or not pods:
        return []
    conf = config(t)
    steps: list[Step] = [Note(f"ingress: {describe(controller)}, nginx serving "
                              + (", ".join(s.hostname for s in conf.servers)))]
    for pod in pods:
        where = f"{STATE}/{folder(pod)}"
        globals_ = f"daemon off; pid {where}/nginx.pid;"
        base = ("nginx", "-e", "stderr", "-p", where, "-c", f"{where}/nginx.conf", "-g", globals_)
        steps.append(Daemon(naming.netns(t.name, pod), f"nginx-{pod}", base, ports=(f"tcp/{HTTP_PORT}",
                            f"tcp/{DEFAULT_BACKEND_PORT}"), ready="listen",
                            files=((f"{folder(pod)}/nginx.conf", render(conf)),),
                            # nginx -s reload, then wait until only new workers listen (nginx_reload.py)
                            reload=(PYTHON, "-m", "netlab.workloads.nginx_reload", "--pid", f"{where}/nginx.pid",
                                    "--", *base, "-s", "reload")))
    return steps
