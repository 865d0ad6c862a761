"""Who may change the store: one bearer-token check for every write route.

Writes (``POST /articles``, ``DELETE /articles/{id}``, SPARQL updates) are closed by
default. With no ``KG_UPDATE_TOKEN`` configured every write gets **403** and a message
saying how to enable writes; with one, a request without ``Authorization: Bearer
<token>``, or with another token, gets **401** and ``WWW-Authenticate: Bearer``.

    require_write          the dependency of routes that only write
    write_access           for routes that write only sometimes (``/sparql``): the
                           route calls ``access.check()`` when the request is a write
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

__all__ = ["ENABLE_WRITES", "WriteAccess", "bearer", "require_write", "write_access"]

ENABLE_WRITES = (
    "writes are disabled on this server: start it with KG_UPDATE_TOKEN set to a secret, "
    "then send 'Authorization: Bearer <that secret>'"
)

bearer = HTTPBearer(
    auto_error=False,  # a missing header is answered here, with the same body as a wrong one
    scheme_name="updateToken",
    description="The server's KG_UPDATE_TOKEN; needed by every request that writes.",
)


class WriteAccess:
    """The bearer credentials a request carries, checked against the configured token."""

    def __init__(self, token: str | None, credentials: HTTPAuthorizationCredentials | None):
        self._token = token
        self._presented = credentials.credentials if credentials is not None else None

    @property
    def allowed(self) -> bool:
        if not self._token or self._presented is None:
            return False
        return hmac.compare_digest(self._presented.encode(), self._token.encode())

    def check(self) -> None:
        """Raise the 403 (writes disabled) or 401 (no or wrong token) the request earns."""
        if not self._token:
            raise HTTPException(403, ENABLE_WRITES)
        if not self.allowed:
            detail = (
                "this request writes: send 'Authorization: Bearer <token>' with the "
                "server's KG_UPDATE_TOKEN"
                if self._presented is None
                else "the bearer token is not this server's KG_UPDATE_TOKEN"
            )
            raise HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


async def write_access(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> WriteAccess:
    """The request's write access, unchecked (for routes that read and write)."""
    return WriteAccess(request.app.state.settings.update_token, credentials)


async def require_write(access: Annotated[WriteAccess, Depends(write_access)]) -> None:
    """Let the request through only with the configured token."""
    access.check()
