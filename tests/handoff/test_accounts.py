"""Staff accounts: memory-hard password hashes, sessions that expire and can be revoked,
and no default password."""

from __future__ import annotations

from datetime import timedelta
from typing import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.schema import upgrade
from ground.database import create_database_engine
from handoff.accounts import AccountError, StaffAccounts, hash_password, verify_password
from handoff.models import Role
from tests.databases import Clock

PASSWORD = "a long enough password"


@pytest.fixture
def accounts(tmp_path, clock: Clock) -> Iterator[StaffAccounts]:
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    upgrade(url)
    engine = create_database_engine(url)
    yield StaffAccounts(sessionmaker(bind=engine, class_=Session, future=True), clock,
                        session_lifetime=timedelta(hours=12))
    engine.dispose()


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("scrypt$16384$8$1$") and first != second
    assert PASSWORD not in first
    assert verify_password(PASSWORD, first) and not verify_password(PASSWORD + "!", first)
    assert not verify_password(PASSWORD, "md5$whatever")


def test_no_admin_without_a_password_and_the_first_admin_is_made_once(accounts: StaffAccounts) -> None:
    assert accounts.ensure_admin("") is None and accounts.by_username("admin") is None
    admin = accounts.ensure_admin(PASSWORD)
    assert admin is not None and admin.role == Role.ADMIN
    assert accounts.ensure_admin("another password entirely") is None
    assert accounts.login("admin", "another password entirely") is None
    assert accounts.login("admin", PASSWORD) is not None


def test_bad_accounts_are_refused_with_a_reason(accounts: StaffAccounts) -> None:
    with pytest.raises(AccountError, match="at least 12"):
        accounts.create_user("sam", "short", Role.AGENT)
    with pytest.raises(AccountError, match="role"):
        accounts.create_user("sam", PASSWORD, "overlord")
    with pytest.raises(AccountError, match="username"):
        accounts.create_user("Sam <script>", PASSWORD, Role.AGENT)
    with pytest.raises(AccountError, match="skills"):
        accounts.create_user("sam", PASSWORD, Role.EXPERT, skills=["magic"])
    accounts.create_user("sam", PASSWORD, Role.AGENT)
    with pytest.raises(AccountError, match="taken"):
        accounts.create_user("SAM", PASSWORD, Role.AGENT)


def test_sessions_expire_and_end_on_logout_password_change_or_deactivation(
        accounts: StaffAccounts, clock: Clock) -> None:
    member = accounts.create_user("kim", PASSWORD, Role.AGENT)
    token, _ = accounts.login("kim", PASSWORD)
    assert accounts.authenticate(token) == member
    clock.now += timedelta(hours=12, seconds=1)
    assert accounts.authenticate(token) is None
    token, _ = accounts.login("kim", PASSWORD)
    accounts.logout(token)
    assert accounts.authenticate(token) is None
    token, _ = accounts.login("kim", PASSWORD)
    accounts.set_password(member.id, "a brand new password")
    assert accounts.authenticate(token) is None
    token, _ = accounts.login("kim", "a brand new password")
    accounts.set_active(member.id, False)
    assert accounts.authenticate(token) is None
    assert accounts.login("kim", "a brand new password") is None
    assert accounts.authenticate("not-a-token") is None


def test_a_deactivation_and_what_goes_with_it_are_one_transaction(
        accounts: StaffAccounts) -> None:
    """What a deactivation carries out with it (the tickets the member held back to the
    queue) fails or succeeds with it: nobody is left deactivated holding tickets."""
    member = accounts.create_user("lee", PASSWORD, Role.AGENT)
    token, _ = accounts.login("lee", PASSWORD)

    def fails(session, now):  # type: ignore[no-untyped-def]
        raise RuntimeError("the tickets could not be released")

    with pytest.raises(RuntimeError):
        accounts.set_active(member.id, False, fails)
    assert accounts.member(member.id).active and accounts.authenticate(token) == member
    seen = []
    assert accounts.set_active(member.id, False,
                               lambda session, now: seen.append(now) or "released") == "released"
    assert seen and not accounts.member(member.id).active
