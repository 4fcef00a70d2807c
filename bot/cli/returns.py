"""The returns desk from the command line: `python -m bot.cli.returns --help` (or
`make returns ARGS="..."`). Records a returned parcel's arrival and the refund paid, the
facts the assistant's "where is my refund" answers from.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from bot.schema import upgrade
from company.returns_desk import (COMMAND_LINE, BadMoment, ReturnsDeskError, moment,
                                  record_received, record_refunded)
from ground.clock import utcnow
from ground.database import session_factory
from ground.settings import Settings


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="caredesk-returns",
                                     description="Record what happened to a registered return.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, what in (("received", "its parcel reached us"), ("refunded", "its refund was paid")):
        command = commands.add_parser(name, help=f"record that {what}")
        command.add_argument("rma", help="the return's reference, e.g. RMA-123456")
        command.add_argument("--at", help="when (ISO date or date and time, UTC); default now")
    args = parser.parse_args(argv)

    url = Settings.from_env().database_url
    upgrade(url)
    sessions = session_factory(url)
    try:
        at = moment(args.at, utcnow())
        with sessions() as session:
            if args.command == "received":
                request = record_received(session, args.rma, at, by=COMMAND_LINE)
                print(f"{request.rma}: parcel received {request.received_at:%Y-%m-%d %H:%M}")
            else:
                request = record_refunded(session, args.rma, at, by=COMMAND_LINE)
                print(f"{request.rma}: refund paid {request.refunded_at:%Y-%m-%d %H:%M}")
    except BadMoment as error:
        print(f"error: --at {error}", file=sys.stderr)
        return 2
    except ReturnsDeskError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
