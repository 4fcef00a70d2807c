"""`python -m bot.runtime.threaded_training train ...`: Rasa's own `rasa train`, with the
NLU pipeline and the dialogue policies trained side by side
(bot.runtime.threaded_graph_runner) and token fingerprints remembered for Rasa's training
cache (bot.runtime.token_fingerprints). Every `rasa train` of the product runs this way:
make's model, the trainer's training runs and the tests' lean builds. This module imports
Rasa only when it trains, so that the gateway can build the command line without loading
Rasa.
"""

from __future__ import annotations

import sys
from typing import List


def command(python: str = sys.executable) -> List[str]:
    """The start of a `rasa train` command line that trains this way (Rasa's options follow)."""
    return [python, "-m", "bot.runtime.threaded_training", "train"]


def install() -> None:
    """`rasa train` (rasa.model_training) builds its GraphTrainer with the threaded runner,
    and token fingerprints are remembered."""
    import rasa.model_training

    from bot.runtime import token_fingerprints
    from bot.runtime.threaded_graph_runner import ThreadedGraphRunner, install_cache_lock

    rasa.model_training.DaskGraphRunner = ThreadedGraphRunner  # type: ignore[misc]
    install_cache_lock()
    token_fingerprints.install()


if __name__ == "__main__":
    install()
    from rasa.__main__ import main

    main()
