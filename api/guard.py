"""What a request must be before any route sees it (pure ASGI, inside `api.app.Edge`).

- its Host header is one of BILEX_TRUSTED_HOSTS (DNS rebinding): 400 otherwise;
- a write (POST, PUT, PATCH, DELETE) from a browser comes from this site: a cross-site
  `Sec-Fetch-Site` or an `Origin` naming another host is 403 (CSRF);
- a body is sent as `application/json`, the exact media type (a form or `text/plain; x=json`,
  which any web page can send without asking, is 415);
- a JSON body nests at most `MAX_DEPTH` levels (a deeper one is 422 before any parser
  recurses into it), and its size stays under the body limit while it is read (413).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import errors

MAX_DEPTH = 32
# Request headers larger than this in total are refused (431); a proxy in front should refuse
# them before they are read (see README).
MAX_HEADER_BYTES = 16 * 1024
# Seconds a request body may take between two of its pieces before the request is refused (408).
BODY_TIMEOUT = 10.0
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON = "application/json"
_STRUCTURE = re.compile(rb'[\[\]{}"\\]')


def json_depth(body: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings do not
    count); linear in the length, and it never recurses."""
    depth = deepest = 0
    in_string = False
    skip = -1
    for match in _STRUCTURE.finditer(body):
        at = match.start()
        if at == skip:
            continue
        char = body[at]
        if in_string:
            if char == 0x5C:  # backslash: the next character is escaped
                skip = at + 1
            elif char == 0x22:
                in_string = False
        elif char == 0x22:
            in_string = True
        elif char in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif char in (0x5D, 0x7D):
            depth -= 1
    return deepest


def host_name(value: str) -> str:
    """`Host` or an origin's netloc without its port, lower-cased (`[::1]:8000` -> `::1`)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    return value.rpartition(":")[0] if value.count(":") == 1 else value


class Guard:
    """Refuses, in the one error shape, requests that no honest client of Bilex sends."""

    def __init__(self, app: ASGIApp, trusted_hosts: Sequence[str], max_body: int) -> None:
        self.app = app
        self.any_host = "*" in trusted_hosts
        self.hosts = frozenset(host_name(h) for h in trusted_hosts)
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if sum(len(k) + len(v) + 4 for k, v in scope["headers"]) > MAX_HEADER_BYTES:
            await errors.error_response(431, "the request headers are too large: keep them "
                                             f"under {MAX_HEADER_BYTES} bytes")(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope["method"], headers)
        if refusal is not None:
            await errors.error_response(*refusal)(scope, receive, send)
            return
        if scope["method"] in WRITES and self._has_body(headers):
            try:
                body, more = await self._read(receive)
            except TimeoutError:
                await errors.error_response(408, "the request body stopped arriving: send it "
                                                 "whole")(scope, receive, send)
                return
            if body is None:
                await errors.error_response(413, errors.too_large(self.max_body))(
                    scope, receive, send)
                return
            if json_depth(body) > MAX_DEPTH:
                await errors.error_response(422, f"the body nests more than {MAX_DEPTH} levels "
                                                 "deep: send a flat JSON object like "
                                                 "{\"question\": \"...\"}")(scope, receive, send)
                return
            receive = _replay(body, more, receive)
        await self.app(scope, receive, send)

    def _refusal(self, method: str, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "")
        if not self.any_host and host_name(host) not in self.hosts:
            shown = host[:60] or "(none)"
            return 400, (f"this server does not answer for the host {shown!r}: use one of "
                         f"{', '.join(sorted(self.hosts))} (BILEX_TRUSTED_HOSTS)")
        if method not in WRITES:
            return None
        site = headers.get("sec-fetch-site", "").lower()
        if site in ("cross-site", "same-site"):
            return 403, "writes are accepted only from this site's own pages"
        origin = headers.get("origin")
        if origin is not None and not _same_origin(origin, host):
            return 403, "writes are accepted only from this site's own pages (Origin differs)"
        if self._has_body(headers):
            media = headers.get("content-type", "").partition(";")
            params = [p.strip().lower() for p in media[2].split(";") if p.strip()]
            if media[0].strip().lower() != JSON or any(p not in ("charset=utf-8", "charset=\"utf-8\"")
                                                       for p in params):
                return 415, ("the body must be JSON: send it with Content-Type: application/json, "
                             "e.g. {\"question\": \"...\"}")
        return None

    @staticmethod
    def _has_body(headers: dict[str, str]) -> bool:
        length = headers.get("content-length", "")
        return (length.isdigit() and int(length) > 0) or "transfer-encoding" in headers

    async def _read(self, receive: Receive) -> tuple[bytes | None, Message | None]:
        """The whole body (None once it passes the limit), and a non-body message that came
        instead of the rest of it (a disconnect), to hand on."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await asyncio.wait_for(receive(), BODY_TIMEOUT)
            if message["type"] != "http.request":
                return b"".join(chunks), message
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None, None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), None


def _same_origin(origin: str, host: str) -> bool:
    """Whether the `Origin` header names the host (and port) the request was sent to."""
    if origin == "null":
        return False
    parts = urlsplit(origin)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        origin_port = parts.port or default
    except ValueError:
        return False
    tail = host.rpartition("]")[2] if host.startswith("[") else host
    explicit = tail.rpartition(":")[2] if tail.count(":") == 1 else ""
    host_port = int(explicit) if explicit.isdigit() else default
    return bool(parts.hostname) and host_name(parts.netloc) == host_name(host) \
        and origin_port == host_port


def _replay(body: bytes, pending: Message | None, receive: Receive) -> Receive:
    """A `receive` that gives the body already read, then whatever the connection says next
    (so a disconnect is still seen)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent, pending
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if pending is not None:
            message, pending = pending, None
            return message
        return await receive()

    return replay
