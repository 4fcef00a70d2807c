"""`python -m bot.runtime.rasa_server run ...`: Rasa's own command line, with CareDesk's
fixes installed first (`install`): the action-response schema is checked once
(bot.runtime.action_responses), models load off the event loop
(bot.runtime.model_loading), a policy runs only when its prediction can be chosen
(bot.runtime.lazy_policies), the graph runs without dask's scheduling
(bot.runtime.graph_runs), event classes are looked up once (bot.runtime.event_types),
calls to the action server reuse their connections (bot.runtime.action_calls), the call
made at every message before the answer is given up after a few seconds
(bot.runtime.extraction_calls), the rules
that apply to a conversation's states are looked up once (bot.runtime.rule_lookup), slots
are copied directly (bot.runtime.slot_copies), and TensorFlow and the sentence encoder run
one thread each. The supervisor starts the Rasa server this way.
With REDIS_URL set, Rasa's lock store (endpoints-scaled.yml) is told where Redis is.

The HTTP API's token comes from RASA_TOKEN in the environment and is handed to Rasa's
argument parser inside this process, so it never appears on a command line (`ps` shows
the arguments of every process to every user of the machine).
"""

from __future__ import annotations

import os
import sys
from typing import Dict, List
from urllib.parse import unquote, urlsplit

from bot.nlu.bert_onnx import THREADS_ENV

TOKEN_ENV = "RASA_TOKEN"


def with_token(argv: List[str], token: str) -> List[str]:
    """`argv` with `--auth-token` added for `rasa run` when a token is set and none given."""
    if not token or len(argv) < 2 or argv[1] != "run" or any(
            arg.startswith("--auth-token") for arg in argv):
        return argv
    return [*argv, f"--auth-token={token}"]


# TensorFlow's threads (Rasa reads these) and the sentence encoder's (onnxruntime,
# bot.nlu.sentence_embeddings): the server runs one turn at a time on its event loop, so a
# second thread only spins beside the first; one thread costs less CPU per turn (the
# sentence embedding 5 ms instead of 3 ms on two threads, which wake for each of its 50
# operators) and leaves the second core to the gateway and the action server. The OpenMP
# threads of TensorFlow's oneDNN kernels spin for a while after each operation (by default)
# waiting for more work: with customers pausing between messages that spinning cost more
# than the turns themselves (Rasa's CPU per turn 68 ms with a 1-3 s pause, 25 ms without the
# spinning; `make bench`). One thread that sleeps at once costs the least. A setting in the
# environment (or .env) wins.
TF_THREADS = {"TF_INTRA_OP_PARALLELISM_THREADS": "1", "TF_INTER_OP_PARALLELISM_THREADS": "1",
              "OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE", "KMP_BLOCKTIME": "0",
              THREADS_ENV: "1"}


def lock_store_environment(redis_url: str) -> Dict[str, str]:
    """The variables endpoints-scaled.yml's lock store reads (Rasa's RedisLockStore takes
    a host, a port and a database number, not a URL), from REDIS_URL."""
    if not redis_url:
        return {}
    parsed = urlsplit(redis_url)
    return {"LOCK_STORE_HOST": parsed.hostname or "127.0.0.1",
            "LOCK_STORE_PORT": str(parsed.port or 6379),
            "LOCK_STORE_DB": parsed.path.strip("/") or "0",
            "LOCK_STORE_PASSWORD": unquote(parsed.password or "")}


def install() -> None:
    """CareDesk's fixes to Rasa, as the Rasa server runs with them (bot.benchmarks.turn_profile
    profiles a turn with them too)."""
    for key, value in TF_THREADS.items():  # before TensorFlow is imported: it reads them once
        os.environ.setdefault(key, value)
    from bot.runtime import (action_calls, action_responses, empty_domain, event_types,
                             extraction_calls, graph_runs, lazy_policies, model_loading, rule_lookup,
                             slot_copies, ted_loading)

    action_responses.install()
    model_loading.install()
    ted_loading.install()
    lazy_policies.install()
    graph_runs.install()
    event_types.install()
    action_calls.install()
    extraction_calls.install()
    rule_lookup.install()
    slot_copies.install()
    empty_domain.install()


if __name__ == "__main__":
    install()
    os.environ.update(lock_store_environment(os.environ.get("REDIS_URL", "")))
    sys.argv = with_token(sys.argv, os.environ.get(TOKEN_ENV, ""))
    from rasa.__main__ import main

    main()
