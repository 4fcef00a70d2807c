"""Staff accounts from the command line: `python -m bot.cli.staff --help` (or
`make staff ARGS="..."`). Passwords are read from a prompt, or from an environment
variable named with --password-env (for scripts), never from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import List, Optional

from bot.schema import upgrade
from ground.settings import Settings
from company.accounts import find_customer_by_email
from ground.database import session_factory
from handoff.accounts import AccountError, StaffAccounts
from handoff.models import Role, Skill


def _password(env_name: Optional[str]) -> str:
    if env_name:
        value = os.environ.get(env_name)
        if not value:
            raise AccountError(f"environment variable {env_name} is empty")
        return value
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise AccountError("the passwords differ")
    return first


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="caredesk-staff", description="Manage CareDesk staff accounts.")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add a staff member")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=Role.ALL)
    add.add_argument("--name", help="display name shown to colleagues and customers")
    add.add_argument("--skills", default="", help=f"comma-separated, for experts: {', '.join(Skill.ALL)}")
    add.add_argument("--capacity", type=int, default=5, help="tickets held at once (default 5)")
    add.add_argument("--password-env", help="read the password from this environment variable")
    password = commands.add_parser("password", help="set a staff member's password")
    password.add_argument("username")
    password.add_argument("--password-env")
    assign = commands.add_parser("assign", help="make an account manager own a VIP customer")
    assign.add_argument("customer_email")
    assign.add_argument("manager")
    commands.add_parser("list", help="list staff accounts")
    args = parser.parse_args(argv)

    url = Settings.from_env().database_url
    upgrade(url)
    sessions = session_factory(url)
    accounts = StaffAccounts(sessions)
    try:
        if args.command == "add":
            skills = [s.strip() for s in args.skills.split(",") if s.strip()]
            member = accounts.create_user(args.username, _password(args.password_env), args.role,
                                          args.name, skills, args.capacity)
            print(f"added {member.username} ({member.role})")
        elif args.command == "password":
            member = accounts.by_username(args.username)
            if member is None:
                raise AccountError(f"no staff member {args.username!r}")
            accounts.set_password(member.id, _password(args.password_env))
            print(f"password changed for {member.username}; their sessions were ended")
        elif args.command == "assign":
            manager = accounts.by_username(args.manager)
            with sessions() as session:
                customer = find_customer_by_email(session, args.customer_email)
            if manager is None or customer is None:
                raise AccountError("unknown manager or customer email")
            accounts.assign_customer(customer.id, manager.id)
            print(f"{customer.name} is now looked after by {manager.display_name}")
        else:
            for member in accounts.all():
                print(f"{member.id:>4}  {member.username:<20} {member.role:<16} "
                      f"{','.join(member.skills):<24} {'active' if member.active else 'inactive'}")
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
