"""`python -m bot.runtime.rasa_server run ...`: Rasa's own command line, with CareDesk's
two fixes installed first: the action-response schema is checked once
(bot.runtime.action_responses), and models load off the event loop
(bot.runtime.model_loading). The supervisor starts the Rasa server this way."""

from __future__ import annotations

from bot.runtime import action_responses, model_loading

if __name__ == "__main__":
    action_responses.install()
    model_loading.install()
    from rasa.__main__ import main

    main()
