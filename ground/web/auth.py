"""Customer tokens: a web conversation's bearer token, signed with GATEWAY_SECRET.

The token names one conversation and nothing else (HS256 JWT, `typ` customer), so a
customer can read and write only their own conversation. It also carries the
conversation's token generation: revoking (a new conversation started from the same
browser, or a staff member ending the customer's web session) moves the generation on, and
every older token stops working at once. A token lasts a week; the chat page swaps it for
a fresh one on every visit, so an active customer keeps their conversation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional

import jwt

ALGORITHM = "HS256"
TOKEN_TYPE = "customer"
LIFETIME_SECONDS = 7 * 24 * 3600


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class Grant:
    """What a valid customer token grants: one conversation, as of one token generation."""

    conversation_id: str
    generation: int


def issue_customer_token(secret: str, conversation_id: str, generation: int = 0,
                         now: Optional[float] = None) -> str:
    issued = int(now if now is not None else time.time())
    claims = {"sub": conversation_id, "typ": TOKEN_TYPE, "gen": generation, "iat": issued,
              "exp": issued + LIFETIME_SECONDS}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def grant_of(secret: str, token: str) -> Grant:
    """The grant of a valid, unexpired customer token; InvalidToken otherwise (revocation
    is checked against the conversation by the caller)."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM],
                            options={"require": ["sub", "exp", "typ", "gen"]})
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from error
    generation = claims.get("gen")
    if claims.get("typ") != TOKEN_TYPE or not isinstance(claims.get("sub"), str) or \
            not isinstance(generation, int) or isinstance(generation, bool):
        raise InvalidToken("not a customer token")
    return Grant(claims["sub"], generation)


def bearer(header: Optional[str]) -> Optional[str]:
    """The token of an `Authorization: Bearer <token>` header."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
