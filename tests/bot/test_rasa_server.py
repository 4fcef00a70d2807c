"""The Rasa server's numerical libraries run one thread each (bot.runtime.rasa_server).

Their idle threads spin: OpenBLAS's after every matrix product of the intent classifier,
which cost the Rasa server twice its CPU per turn with customers pausing between messages.
The settings are read once, when each library loads, so `install` must come first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from ground.envfile import PROJECT_ROOT

PROBE = """
import json, os
import bot.runtime.rasa_server as server
server.install()
import numpy
from threadpoolctl import threadpool_info
from bot.nlu.bert_onnx import THREADS_ENV
print(json.dumps({"pools": [[pool["internal_api"], pool["num_threads"]]
                            for pool in threadpool_info()],
                  "encoder": os.environ.get(THREADS_ENV)}))
"""


def test_numpy_and_the_encoder_get_one_thread_each() -> None:
    environment = {key: value for key, value in os.environ.items()
                   if not key.endswith("_NUM_THREADS") and key != "CAREDESK_ENCODER_THREADS"}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, env=environment,
                            capture_output=True, text=True, timeout=300, check=True)
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["encoder"] == "1"
    assert found["pools"], "numpy's BLAS was not found"
    assert all(threads == 1 for _, threads in found["pools"]), found["pools"]
