"""`python -m bot.runtime.rasa_server run ...`: Rasa's own command line, with CareDesk's
fixes installed first (`install`): the action-response schema is checked once
(bot.runtime.action_responses), models load off the event loop
(bot.runtime.model_loading), and a policy runs only when its prediction can be chosen
(bot.runtime.lazy_policies). The supervisor starts the Rasa server this way.

The HTTP API's token comes from RASA_TOKEN in the environment and is handed to Rasa's
argument parser inside this process, so it never appears on a command line (`ps` shows
the arguments of every process to every user of the machine).
"""

from __future__ import annotations

import os
import sys
from typing import List

TOKEN_ENV = "RASA_TOKEN"


def with_token(argv: List[str], token: str) -> List[str]:
    """`argv` with `--auth-token` added for `rasa run` when a token is set and none given."""
    if not token or len(argv) < 2 or argv[1] != "run" or any(
            arg.startswith("--auth-token") for arg in argv):
        return argv
    return [*argv, f"--auth-token={token}"]


def install() -> None:
    """CareDesk's fixes to Rasa, as the Rasa server runs with them (bot.benchmarks.turn_profile
    profiles a turn with them too)."""
    from bot.runtime import action_responses, lazy_policies, model_loading

    action_responses.install()
    model_loading.install()
    lazy_policies.install()


if __name__ == "__main__":
    install()
    sys.argv = with_token(sys.argv, os.environ.get(TOKEN_ENV, ""))
    from rasa.__main__ import main

    main()
