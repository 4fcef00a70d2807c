"""`python -m bot.runtime.rasa_server run ...`: Rasa's own command line, with CareDesk's
fix for Rasa's per-response schema check installed first (bot.runtime.action_responses).
The supervisor starts the Rasa server this way."""

from __future__ import annotations

from bot.runtime import action_responses

if __name__ == "__main__":
    action_responses.install()
    from rasa.__main__ import main

    main()
