"""Who may read what users wrote (reports, feedback, analytics): `AdminDep`.

With BILEX_ADMIN_TOKEN set, every client needs `Authorization: Bearer <token>` (401 when it
is missing, 403 when it is wrong; compared in constant time). Unset, only loopback clients
(the socket peer, or the client a trusted proxy names: BILEX_FORWARDED_ALLOW_IPS) may read,
so a server opened to a network does not hand out its users' words by default.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Annotated

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from api.settings import Settings


def is_loopback(host: str | None) -> bool:
    """Whether a client address is this machine's (127.0.0.0/8, ::1)."""
    if not host:
        return False
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


async def require_admin(request: Request) -> None:
    """401/403 unless the request may read reports, feedback and analytics."""
    settings: Settings = request.app.state.settings
    client = request.client.host if request.client else None
    token = settings.admin_token
    if token is None:
        # TestClient's peer is "testclient": treated as the local process it is.
        if is_loopback(client) or client == "testclient":
            return
        raise HTTPException(403, "reading reports needs BILEX_ADMIN_TOKEN on the server (only "
                                 "this machine may read them while it is unset)")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(401, "reading reports needs the admin token: send "
                                 "Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(403, "the admin token is wrong")


AdminDep = Annotated[None, Depends(require_admin)]
