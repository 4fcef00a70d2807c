"""Staff accounts: passwords, logins and sessions.

Passwords are hashed with scrypt (memory-hard: 16 MiB per hash), each with its own salt.
A login gives a random bearer token; the database keeps only its SHA-256, with an expiry,
so a stolen database does not yield working tokens and a session can be revoked. There is
no default password: the first admin comes from `CAREDESK_ADMIN_PASSWORD` or the CLI.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, List, Optional, Sequence, TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ground.clock import utcnow
from company.models import Customer
from handoff.models import AccountAssignment, Role, Skill, StaffSession, StaffUser

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # what a login accepts (scrypt of a longer one is just cost)
MAX_USERNAME_LENGTH = 64
USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
SESSION_LIFETIME = timedelta(hours=12)
T = TypeVar("T")


class AccountError(ValueError):
    """A staff account request that cannot be carried out (message says why)."""


class UsernameTaken(AccountError):
    """A new account's user name belongs to another account already."""


def _check_password(password: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError(f"password: at least {MIN_PASSWORD_LENGTH} characters, at most "
                           f"{MAX_PASSWORD_LENGTH}")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P,
                            dklen=32)
    encode = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${encode(salt)}${encode(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n),
                                r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# the cost of one scrypt, paid also for unknown users so that timing does not tell them apart
_DUMMY_HASH = hash_password(secrets.token_hex(16))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class StaffMember:
    id: int
    username: str
    display_name: str
    role: str
    skills: Sequence[str]
    capacity: int
    active: bool

    @property
    def tier(self) -> Optional[int]:
        return Role.TIER.get(self.role)

    def to_json(self) -> dict:
        return {"id": self.id, "username": self.username, "display_name": self.display_name,
                "role": self.role, "tier": self.tier, "skills": list(self.skills),
                "capacity": self.capacity, "active": self.active}


def _member(row: StaffUser) -> StaffMember:
    return StaffMember(row.id, row.username, row.display_name, row.role,
                       tuple(row.skills or ()), row.capacity, row.active)


def validate_new_user(username: str, password: str, role: str, skills: Sequence[str]) -> None:
    if not username or len(username) > MAX_USERNAME_LENGTH or not set(username) <= USERNAME_CHARS:
        raise AccountError(f"username: 1-{MAX_USERNAME_LENGTH} characters of a-z, 0-9, '.', "
                           "'_' or '-'")
    _check_password(password)
    if role not in Role.ALL:
        raise AccountError(f"role: one of {', '.join(Role.ALL)}")
    unknown = set(skills) - set(Skill.ALL)
    if unknown:
        raise AccountError(f"skills: only {', '.join(Skill.ALL)}")


class StaffAccounts:
    def __init__(
        self,
        sessions: sessionmaker,
        clock: Callable[[], datetime] = utcnow,
        session_lifetime: timedelta = SESSION_LIFETIME,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._lifetime = session_lifetime

    def create_user(
        self,
        username: str,
        password: str,
        role: str,
        display_name: Optional[str] = None,
        skills: Sequence[str] = (),
        capacity: int = 5,
    ) -> StaffMember:
        username = username.strip().lower()
        validate_new_user(username, password, role, skills)
        if not 1 <= capacity <= 50:
            raise AccountError("capacity: 1-50 tickets at once")
        try:
            with self._sessions.begin() as session:
                row = StaffUser(
                    username=username, display_name=(display_name or "").strip()[:120] or username,
                    password_hash=hash_password(password), role=role, skills=list(skills),
                    capacity=capacity, active=True, created_at=self._clock(),
                )
                session.add(row)
                session.flush()
                return _member(row)
        except IntegrityError as error:
            raise UsernameTaken(f"username {username!r} is taken") from error

    def ensure_admin(self, password: Optional[str]) -> Optional[StaffMember]:
        """Creates the first admin (`admin`) from the given password, once (several
        gateways starting together: the one that loses the race finds it made)."""
        if not password or self.by_username("admin") is not None:
            return None
        try:
            return self.create_user("admin", password, Role.ADMIN, "Administrator")
        except UsernameTaken:
            return None

    def set_password(self, user_id: int, password: str) -> None:
        _check_password(password)
        with self._sessions.begin() as session:
            session.execute(update(StaffUser).where(StaffUser.id == user_id)
                            .values(password_hash=hash_password(password)))
            self._revoke_all(session, user_id)

    def set_active(self, user_id: int, active: bool,
                   on_deactivation: Optional[Callable[[Session, datetime], T]] = None) -> Optional[T]:
        """(De)activates an account; a deactivation ends its sessions and runs
        `on_deactivation` (e.g. putting the tickets it held back in the queue) in the same
        transaction, so nothing is left with someone who cannot log in. Returns what
        `on_deactivation` returned."""
        with self._sessions.begin() as session:
            session.execute(update(StaffUser).where(StaffUser.id == user_id).values(active=active))
            if active:
                return None
            self._revoke_all(session, user_id)
            return on_deactivation(session, self._clock()) if on_deactivation else None

    def _revoke_all(self, session: Session, user_id: int) -> None:
        session.execute(update(StaffSession)
                        .where(StaffSession.user_id == user_id, StaffSession.revoked_at.is_(None))
                        .values(revoked_at=self._clock()))

    def by_username(self, username: str) -> Optional[StaffMember]:
        with self._sessions() as session:
            row = session.execute(select(StaffUser).where(
                StaffUser.username == username.strip().lower())).scalar_one_or_none()
            return _member(row) if row is not None else None

    def member(self, user_id: int) -> Optional[StaffMember]:
        with self._sessions() as session:
            row = session.get(StaffUser, user_id)
            return _member(row) if row is not None else None

    def all(self) -> List[StaffMember]:
        with self._sessions() as session:
            return [_member(row) for row in session.execute(
                select(StaffUser).order_by(StaffUser.id)).scalars()]

    def assign_customer(self, customer_id: int, manager_id: int) -> None:
        manager = self.member(manager_id)
        if manager is None or manager.role != Role.ACCOUNT_MANAGER:
            raise AccountError("only an account manager can own a VIP customer")
        with self._sessions.begin() as session:
            if session.get(Customer, customer_id) is None:
                raise AccountError(f"no customer {customer_id}")
            row = session.get(AccountAssignment, customer_id)
            if row is None:
                session.add(AccountAssignment(customer_id=customer_id, manager_id=manager_id))
            else:
                row.manager_id = manager_id

    # --- sessions -----------------------------------------------------------------------
    def login(self, username: str, password: str) -> Optional[tuple[str, StaffMember]]:
        """A new session token for right credentials of an active user, else None."""
        with self._sessions() as session:
            row = session.execute(select(StaffUser).where(
                StaffUser.username == username.strip().lower())).scalar_one_or_none()
            stored = row.password_hash if row is not None else _DUMMY_HASH
            if not verify_password(password, stored) or row is None or not row.active:
                return None
            member = _member(row)
        token = secrets.token_urlsafe(32)
        now = self._clock()
        with self._sessions.begin() as session:
            session.add(StaffSession(token_hash=_token_hash(token), user_id=member.id,
                                     created_at=now, expires_at=now + self._lifetime))
        return token, member

    def authenticate(self, token: str) -> Optional[StaffMember]:
        """The active staff member a token belongs to, if the session is still valid."""
        if not token or len(token) > 200:
            return None
        with self._sessions() as session:
            found = session.execute(
                select(StaffSession, StaffUser)
                .join(StaffUser, StaffUser.id == StaffSession.user_id)
                .where(StaffSession.token_hash == _token_hash(token))
            ).one_or_none()
            if found is None:
                return None
            login, user = found
            if login.revoked_at is not None or login.expires_at <= self._clock() or not user.active:
                return None
            return _member(user)

    def logout(self, token: str) -> None:
        with self._sessions.begin() as session:
            session.execute(update(StaffSession)
                            .where(StaffSession.token_hash == _token_hash(token))
                            .values(revoked_at=self._clock()))
