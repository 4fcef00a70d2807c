"""`python -m bot.runtime` (what `make run` calls): start CareDesk, Ctrl-C stops it."""

from bot.runtime.supervisor import main

if __name__ == "__main__":
    raise SystemExit(main())
