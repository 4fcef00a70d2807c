"""Customer tokens: a web conversation's bearer token, signed with GATEWAY_SECRET.

The token names one conversation and nothing else (HS256 JWT, `typ` customer), so a
customer can read and write only their own conversation. It expires after 30 days; a
new conversation gets a new token.
"""

from __future__ import annotations

import time
from typing import Optional

import jwt

ALGORITHM = "HS256"
TOKEN_TYPE = "customer"
LIFETIME_SECONDS = 30 * 24 * 3600


class InvalidToken(Exception):
    pass


def issue_customer_token(secret: str, conversation_id: str, now: Optional[float] = None) -> str:
    issued = int(now if now is not None else time.time())
    claims = {"sub": conversation_id, "typ": TOKEN_TYPE, "iat": issued,
              "exp": issued + LIFETIME_SECONDS}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def conversation_of(secret: str, token: str) -> str:
    """The conversation id a valid customer token grants; InvalidToken otherwise."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM],
                            options={"require": ["sub", "exp", "typ"]})
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from error
    if claims.get("typ") != TOKEN_TYPE or not isinstance(claims.get("sub"), str):
        raise InvalidToken("not a customer token")
    return claims["sub"]


def bearer(header: Optional[str]) -> Optional[str]:
    """The token of an `Authorization: Bearer <token>` header."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
