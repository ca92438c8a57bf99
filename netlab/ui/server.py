"""The web server of `netlab ui`: Starlette routes served by uvicorn, and the guard in front of them.

It runs as root beside a lab, so what it answers is a security boundary. It can show the lab, run probes and
traces, and read counters — nothing else: no command, no file outside its static folder, no change to the lab.
Every request must carry the token printed at start (in the URL once, then a cookie), name this server in its
Host header (no DNS rebinding), and come from this page's own origin when a browser says where it comes from.
Bodies are small JSON objects of strings; anything else is refused before a handler sees it.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import secrets
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from netlab.errors import NetlabError, UsageError
from netlab.ui.lab import LabView

STATIC = Path(__file__).with_name("static")
MAX_BODY = 4096  # a trace request is a few names: anything larger is not one
MAX_HEADERS = 16384
MAX_FIELD = 253  # a DNS name's length: no name, target or protocol is longer
STATE_EVERY = 1.5  # seconds between two looks at the lab for the live view
STEPS = 6
HEADERS = {
    # The page's own files only: no inline script, no third party, not in a frame, no token in a Referer.
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address == "localhost"


class Guard:
    """Refuses, before any route: a Host that is not this server, a cross-site Origin, a missing or wrong token, a
    body too large. The token comes as `?token=` (the printed URL: answered with a cookie and a redirect to the
    same page without it), as the cookie, or as `Authorization: token …`."""

    def __init__(self, app: ASGIApp, *, token: str, hosts: set[str], cookie: str) -> None:
        self.app, self.token, self.hosts, self.cookie = app, token, hosts, cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":  # the page uses none: refuse an upgrade before any route sees it
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":  # lifespan
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self.refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if request.query_params.get("token") is not None and request.method == "GET":
            # Take the token out of the address bar (and the browser's history) at once.
            response = RedirectResponse(request.url.remove_query_params("token").path, status_code=303)
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="strict", path="/")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def refusal(self, request: Request) -> Response | None:
        # h11 bounds only a header block that arrives in pieces: one that comes whole is measured here.
        if sum(len(k) + len(v) for k, v in request.scope["headers"]) > MAX_HEADERS:
            return _error(431, f"the request's headers are over {MAX_HEADERS} bytes")
        host = request.headers.get("host", "")
        if host not in self.hosts:
            return _error(421, f"this server answers to {', '.join(sorted(self.hosts))}, not {host or 'no Host'}")
        origin = request.headers.get("origin")
        if origin is not None and origin.removeprefix("http://") not in self.hosts:
            return _error(403, "cross-origin request refused")
        if request.headers.get("sec-fetch-site") == "cross-site":
            return _error(403, "cross-site request refused")
        given = (request.query_params.get("token") or request.cookies.get(self.cookie)
                 or request.headers.get("authorization", "").removeprefix("token "))
        if not given or not hmac.compare_digest(given.encode(), self.token.encode()):
            return _error(401, "a token is needed: open the URL `netlab ui` printed")
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return _error(413, f"a request body is at most {MAX_BODY} bytes")
        if request.method == "POST" and length is None:
            return _error(411, "a request body needs a Content-Length")
        return None


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=HEADERS)


def _ok(data: Any) -> Response:
    return Response(json.dumps(data, default=str), media_type="application/json", headers=HEADERS)


async def _fields(request: Request, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, str]:
    """The JSON object of a POST: strings under the names given, nothing else."""
    body = await request.body()
    if len(body) > MAX_BODY:
        raise ValueError(f"a request body is at most {MAX_BODY} bytes")
    try:
        data = json.loads(body)
    except ValueError:
        raise ValueError("the body is not JSON") from None
    if not isinstance(data, dict):
        raise ValueError("the body is not a JSON object")
    if unknown := set(data) - set(required) - set(optional):
        raise ValueError(f"unknown field {sorted(unknown)[0]!r}")
    for name in required:
        if not data.get(name):
            raise ValueError(f"{name!r} is required")
    for name, value in data.items():
        if value is not None and (not isinstance(value, str | int) or len(str(value)) > MAX_FIELD):
            raise ValueError(f"{name!r} must be a short string")
    return {k: str(v) for k, v in data.items() if v is not None and v != ""}


Handler = Callable[[Request], Awaitable[Response]]


def _answers(handler: Handler) -> Handler:
    """A handler's refusals as JSON: bad input is 400 with netlab's message, as the CLI would say it."""
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except NetlabError as e:
            return _error(400 if e.exit_status == 2 else 500, e.message + (f" — {e.hint}" if e.hint else ""))
        except (ValueError, RecursionError) as e:
            return _error(400, str(e) if isinstance(e, ValueError) else "the body is nested too deeply")
        except OSError as e:  # the lab changed under the request (a namespace gone)
            return _error(503, f"the lab could not be read: {e}")
    return wrapped


def build_app(view: LabView, token: str, listen: str, port: int, stopping: threading.Event) -> ASGIApp:
    latest: dict[str, Any] = {}  # the last state read, shared by every page that listens
    state_lock = asyncio.Lock()

    async def current_state() -> dict[str, Any]:
        async with state_lock:
            if not latest or latest["at"] + STATE_EVERY <= asyncio.get_running_loop().time():
                latest["state"] = await run_in_threadpool(view.state)
                latest["at"] = asyncio.get_running_loop().time()
            return dict(latest["state"])

    async def index(request: Request) -> Response:
        return Response((STATIC / "index.html").read_text(), media_type="text/html", headers=HEADERS)

    @_answers
    async def lab(request: Request) -> Response:
        return _ok(await run_in_threadpool(view.diagram))

    @_answers
    async def lab_state(request: Request) -> Response:
        return _ok(await current_state())

    async def events(request: Request) -> Response:
        """Server-sent events: the lab's state whenever it changes (and a comment now and then, to keep the
        connection open through proxies)."""
        async def stream() -> AsyncIterator[str]:
            last = None
            quiet = 0
            while not stopping.is_set() and not await request.is_disconnected():
                try:
                    now = await current_state()
                except NetlabError as e:  # the lab went down
                    now = {"error": e.message}
                now.pop("time", None)
                text = json.dumps(now, default=str, sort_keys=True)
                if text != last:
                    last, quiet = text, 0
                    yield f"event: state\ndata: {text}\n\n"
                else:
                    quiet += 1
                    if quiet % 10 == 0:
                        yield ": still here\n\n"
                for _ in range(STEPS):  # a server that stops ends the stream at once, not at its next look
                    if stopping.is_set():
                        break
                    await asyncio.sleep(STATE_EVERY / STEPS)
        return StreamingResponse(stream(), media_type="text/event-stream", headers=HEADERS)

    @_answers
    async def trace(request: Request) -> Response:
        f = await _fields(request, ("source", "target"), ("proto",))
        if f.get("proto") not in (None, "icmp", "tcp", "udp"):
            raise ValueError("proto is icmp, tcp or udp")
        return _ok(await run_in_threadpool(view.trace, f["source"], f["target"], f.get("proto")))

    @_answers
    async def matrix(request: Request) -> Response:
        f = await _fields(request, (), ("port", "proto"))
        port = f.get("port")
        if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
            raise ValueError("port is a number from 1 to 65535")
        if f.get("proto") not in (None, "icmp", "tcp", "udp"):
            raise ValueError("proto is icmp, tcp or udp")
        return _ok(await run_in_threadpool(view.matrix, int(port) if port else None, f.get("proto")))

    @_answers
    async def counters(request: Request) -> Response:
        member = request.query_params.get("member", "")
        if not member or len(member) > MAX_FIELD:
            raise ValueError("member is required")
        return _ok(await run_in_threadpool(view.counters, member))

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/api/lab", lab, methods=["GET"]),
        Route("/api/state", lab_state, methods=["GET"]),
        Route("/api/events", events, methods=["GET"]),
        Route("/api/trace", trace, methods=["POST"]),
        Route("/api/matrix", matrix, methods=["POST"]),
        Route("/api/counters", counters, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC, follow_symlink=False), name="static"),
    ]
    # Cookies do not tell ports apart: two servers on one machine each keep their own.
    return Guard(Starlette(routes=routes), token=token, hosts=allowed_hosts(listen, port), cookie=f"netlab_ui_{port}")


def allowed_hosts(listen: str, port: int) -> set[str]:
    """The Host headers a browser sends to this server: its address, and `localhost` for a loopback one."""
    names = {listen} | ({"localhost"} if is_loopback(listen) else set())
    return {f"[{n}]:{port}" if ":" in n else f"{n}:{port}" for n in names}


def check_listen(listen: str) -> bool:
    """The address to serve on, checked: an IP address, one address (the Host check needs it). True: loopback."""
    try:
        address = ipaddress.ip_address(listen)
    except ValueError:
        raise UsageError(f"--listen {listen}: not an IP address",
                         hint="127.0.0.1 (the default) or one of this machine's addresses") from None
    if address.is_unspecified:
        raise UsageError(f"--listen {listen}: name one address", hint="the server only answers requests that name "
                         "the address it listens on (so no other site can reach it through DNS)")
    return address.is_loopback


def url(listen: str, port: int, token: str) -> str:
    return f"http://{f'[{listen}]' if ':' in listen else listen}:{port}/?token={token}"


def new_token() -> str:
    return secrets.token_hex(24)


def bind(listen: str, port: int) -> socket.socket:
    """The server's listening socket (an address in use is an OSError for the caller to report)."""
    sock = socket.socket(socket.AF_INET6 if ":" in listen else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((listen, port))
    return sock


class Server(uvicorn.Server):
    """uvicorn, which tells the event streams it is stopping: they would otherwise hold it until it cancels them."""

    def __init__(self, config: uvicorn.Config, stopping: threading.Event) -> None:
        super().__init__(config)
        self.stopping = stopping

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.stopping.set()
        await super().shutdown(sockets)


def server(view: LabView, sock: socket.socket, token: str) -> Server:
    """uvicorn serving the app on `sock`: `.run(sockets=[sock])` until Ctrl-C or `.should_exit`."""
    listen, port = sock.getsockname()[:2]
    stopping = threading.Event()
    app = build_app(view, token, listen, port, stopping)
    # No connection cap:
    # uvicorn counts idle connections too, so a cap would let anyone without the token lock the page out; the
    # work a request can start is bounded instead (LabView refuses a second trace or matrix while one runs).
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False, date_header=False,
                            timeout_graceful_shutdown=1, h11_max_incomplete_event_size=MAX_HEADERS)
    return Server(config, stopping)


def serve(view: LabView, *, listen: str, port: int, token: str, ready: Callable[[str], None]) -> None:
    """Serve until Ctrl-C. `ready` is told the URL once the socket listens."""
    sock = bind(listen, port)
    ready(url(listen, sock.getsockname()[1], token))
    server(view, sock, token).run(sockets=[sock])
