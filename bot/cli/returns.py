"""The returns desk from the command line: `python -m bot.cli.returns --help` (or
`make returns ARGS="..."`). Records a returned parcel's arrival and the refund paid, the
facts the assistant's "where is my refund" answers from.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from typing import List, Optional

from bot.schema import upgrade
from company.returns_desk import ReturnsDeskError, record_received, record_refunded
from ground.clock import utcnow
from ground.database import session_factory
from ground.settings import Settings


def _moment(text: Optional[str], now: datetime) -> datetime:
    """An ISO date or date and time (UTC when it names no zone), not in the future; now when
    none is given. A plain date is the end of that day (now, for today), so that an arrival
    on the day a return was registered, or a refund on the day of the arrival, is accepted."""
    if not text:
        return now
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ReturnsDeskError(f"--at {text!r} is no ISO date (2026-12-04 or 2026-12-04T10:30)")
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    if moment > now:
        raise ReturnsDeskError(f"--at {text!r} is in the future")
    if "T" not in text and " " not in text.strip():
        moment = min(moment.replace(hour=23, minute=59, second=59), now)
    return moment


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
        at = _moment(args.at, utcnow())
        with sessions() as session:
            if args.command == "received":
                request = record_received(session, args.rma, at)
                print(f"{request.rma}: parcel received {request.received_at:%Y-%m-%d %H:%M}")
            else:
                request = record_refunded(session, args.rma, at)
                print(f"{request.rma}: refund paid {request.refunded_at:%Y-%m-%d %H:%M}")
    except ReturnsDeskError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
