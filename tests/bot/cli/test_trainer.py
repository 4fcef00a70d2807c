"""The trainer's command line on a real database, with no CareDesk running: it registers the
model `make` built, lists versions, explains the gate, refuses what cannot be done with a
clear message and a non-zero exit code, prints --help for every command, and shows
customers' messages with their personal data concealed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest

from ground.envfile import PROJECT_ROOT
from bot.runtime.launch import free_port
from bot.schema import upgrade
from ground.database import session_factory
from handoff.accounts import StaffAccounts
from handoff.models import Role
from tests.trainer.copies import copy_training_data
from tests.trainer.tracker import FakeTracker
from trainer.training_data import REVIEWED_NLU


@pytest.fixture
def env(tmp_path: Path) -> Dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'caredesk.db'}",
            "TRACKER_DB_PATH": str(tmp_path / "tracker.db"),
            "MODEL_STORE_DIR": str(tmp_path / "versions"), "RASA_PORT": str(free_port()),
            "RASA_TOKEN": "test-token-not-secret", "RASA_TELEMETRY_ENABLED": "false"}


def cli(env: Dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli.trainer", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_versions_show_and_refusals(env: Dict[str, str], tmp_path: Path) -> None:
    listed = cli(env, "versions")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("v1 ") and "active" in listed.stdout and "build" in listed.stdout
    assert (tmp_path / "versions" / "v1.tar.gz").read_bytes() == \
        (PROJECT_ROOT / "models" / "caredesk.tar.gz").read_bytes()

    shown = cli(env, "show", "1")
    assert shown.returncode == 0 and "Gate: evaluate both versions" in shown.stdout

    for args, message in [(("activate", "1"), "version 1 is active"),
                          (("rollback",), "no earlier active version"),
                          (("show", "7"), "no model version 7")]:
        refused = cli(env, *args)
        assert refused.returncode == 1 and message in refused.stderr, refused.stderr

    empty = cli(env, "inbox")
    assert empty.returncode == 0 and "0 message(s) to review" in empty.stdout
    nobody = cli(env, "decide", "5", "discard", "--as", "nobody")
    assert nobody.returncode == 1 and "nobody is not an active trainer or admin" in nobody.stderr
    malformed = cli(env, "decide", "5", "confirm", "--as", "x", "--entity", "5-9-product")
    assert malformed.returncode == 2 and "START:END:ENTITY" in malformed.stderr


def test_every_command_explains_itself(env: Dict[str, str]) -> None:
    overview = cli(env, "--help")
    assert overview.returncode == 0
    for command in ("inbox", "decide", "train", "versions", "show", "evaluate", "activate",
                    "rollback"):
        assert command in overview.stdout
        assert cli(env, command, "--help").returncode == 0


def test_the_inbox_shows_placeholders_and_spans_are_marked_on_them(
        env: Dict[str, str], tmp_path: Path) -> None:
    data = copy_training_data(tmp_path / "training-data")
    env = {**env, "TRAINING_DATA_DIR": str(data)}
    upgrade(env["DATABASE_URL"])
    StaffAccounts(session_factory(env["DATABASE_URL"])).create_user(
        "tia", "correct horse battery staple", Role.TRAINER, "Tia", [], 5)
    tracker = FakeTracker(Path(env["TRACKER_DB_PATH"]))
    written = "send the Aurora kettle from HG-123456 to jo.bloggs@gmail.com, not the toaster"
    event_id = tracker.said("c0ffee", written)
    tracker.close()

    listed = cli(env, "inbox")
    shown = "send the Aurora kettle from HG-100000 to name@example.com, not the toaster"
    assert listed.returncode == 0 and shown in listed.stdout, listed.stdout + listed.stderr
    for secret in ("123456", "jo.bloggs", "gmail"):
        assert secret not in listed.stdout

    toaster = shown.index("toaster")  # an offset in the text `inbox` showed
    decided = cli(env, "decide", str(event_id), "confirm", "--as", "tia",
                  "--entity", f"{toaster}:{toaster + 7}:product")
    example = ("send the Aurora kettle from [HG-100000](order_number) to [name@example.com](email), "
               "not the [toaster](product)")
    assert decided.returncode == 0 and example in decided.stdout, decided.stdout + decided.stderr
    assert f"- {example}\n" in (data / REVIEWED_NLU).read_text()
