"""The trainer's evaluation of a model version (`trainer.evaluation`), run with the Rasa
server's fixes to Rasa (`bot.runtime.rasa_server.install`).

A version is then scored as the Rasa server serves it, and its TEDPolicy loads without
Rasa's training step (`bot.runtime.ted_loading`): the product model's evaluation took 28 s
instead of 57 s on 2 cores, with the same scores. The gateway's training runs and
`make trainer` start it as their evaluation child; `trainer` itself, a lower layer, does not
know these fixes.
"""

from __future__ import annotations

import sys
from typing import List, Optional

MODULE = "bot.runtime.version_evaluation"


def command(python: str = sys.executable) -> List[str]:
    """The command that evaluates a model version: MODEL OUT follow it."""
    return [python, "-m", MODULE]


def main(argv: Optional[List[str]] = None) -> int:
    from bot.runtime.rasa_server import install

    install()  # before Rasa and TensorFlow load: some settings are read once
    from trainer.evaluation import main as evaluate

    return evaluate(argv)


if __name__ == "__main__":
    sys.exit(main())
