"""`python -m bot.runtime.threaded_training train ...`: Rasa's own `rasa train`, with the
NLU pipeline and the dialogue policies trained side by side
(bot.runtime.threaded_graph_runner), token fingerprints remembered for Rasa's training
cache (bot.runtime.token_fingerprints) and each YAML text parsed once
(bot.runtime.yaml_memo). Every `rasa train` of the product runs this way:
make's model, the trainer's training runs and the tests' lean builds. This module imports
Rasa only when it trains, so that the gateway can build the command line without loading
Rasa.
"""

from __future__ import annotations

import os
import sys
from typing import List

from bot.nlu.bert_onnx import THREADS_ENV
from bot.runtime.rasa_server import TF_THREADS


def command(python: str = sys.executable) -> List[str]:
    """The start of a `rasa train` command line that trains this way (Rasa's options follow)."""
    return [python, "-m", "bot.runtime.threaded_training", "train"]


def install() -> None:
    """`rasa train` (rasa.model_training) builds its GraphTrainer with the threaded runner,
    token fingerprints are remembered, and each YAML text is parsed and checked once."""
    import rasa.model_training

    from bot.runtime import token_fingerprints, yaml_memo
    from bot.runtime.threaded_graph_runner import ThreadedGraphRunner, install_cache_lock

    rasa.model_training.DaskGraphRunner = ThreadedGraphRunner  # type: ignore[misc]
    install_cache_lock()
    token_fingerprints.install()
    yaml_memo.install()


def one_thread_per_lane() -> None:
    """One thread each for TensorFlow and OpenBLAS (the Rasa server's setting), unless the
    environment says otherwise: the two lanes are the parallelism, and those pools' extra
    threads only spun and yielded beside the other lane. Measured on 2026-12-02 from scratch,
    runs one after the other: no faster alone (181 and 205 s without, 188-199 s with), but
    about 20 s less CPU a run (system time 38-44 s without, 9-10 s with), CPU that the chat
    and the tests running beside a training run need. The sentence encoder (onnxruntime)
    keeps its threads: they sleep when idle. Read once, when TensorFlow and numpy are
    imported, so this must come first."""
    for key, value in TF_THREADS.items():
        if key != THREADS_ENV:
            os.environ.setdefault(key, value)


if __name__ == "__main__":
    one_thread_per_lane()
    install()
    from rasa.__main__ import main

    main()
