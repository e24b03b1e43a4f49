"""`AdminDep`: reading reports, feedback and analytics is for the admin (CONTRACT.md).

With `BILEX_ADMIN_TOKEN` set, a request needs `Authorization: Bearer <token>`: 401 without
credentials, 403 with wrong ones (for every client, loopback included). Unset, only loopback
clients may read. (Minimal version; helper 10's hardening owns the full one.)
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request


def _token(request: Request) -> str | None:
    configured = getattr(request.app.state.settings, "admin_token", None)
    value: Any = configured if configured is not None else os.environ.get("BILEX_ADMIN_TOKEN")
    if hasattr(value, "get_secret_value"):
        value = value.get_secret_value()
    return str(value) if value else None


def _loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def require_admin(request: Request) -> None:
    """401/403 unless the request may read admin data."""
    token = _token(request)
    if token is None:
        if not _loopback(request):
            raise HTTPException(403, "admin data can only be read from this machine, or with "
                                     "BILEX_ADMIN_TOKEN set and sent as a Bearer token")
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(401, "send the admin token: Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    if not secrets.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(403, "the admin token is wrong")


AdminDep = Annotated[None, Depends(require_admin)]
