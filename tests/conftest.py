"""Shared fixtures: a real SQLite company database, the real domain, trackers, dispatchers,
and the trained model (one fixture here, so one load per session wherever it is used)."""

from __future__ import annotations

import asyncio
import random
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from bot.schema import upgrade
from ground.clock import utcnow
from ground.database import create_database_engine, session_factory
from company.seed import seed

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODEL_PATH = PROJECT_ROOT / "models" / "caredesk.tar.gz"
# actions compare with the real clock, so the demo data is seeded as of now
SEED_TIME = utcnow()


@pytest.fixture(scope="session")
def agent() -> Any:
    """The trained model, loaded once per session (`make test` trains it first) as the
    product's Rasa server loads it: TEDPolicy without Rasa's training step
    (bot/runtime/ted_loading.py, which tests/bot/test_ted_loading.py compares with a model
    loaded Rasa's way), otherwise as Rasa loads it. Defined only here: a conftest or a test
    module importing it would load it again."""
    from rasa.core.agent import Agent
    from rasa.utils.tensorflow.models import RasaModel

    from bot.runtime import ted_loading

    if not MODEL_PATH.exists():
        pytest.fail(f"no trained model at {MODEL_PATH}; run `make test`, which trains it first")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RasaModel, "load", classmethod(ted_loading.load_for_prediction))
        return Agent.load(str(MODEL_PATH))


@pytest.fixture(scope="session")
def parse(agent: Any) -> Iterator[Any]:
    """Parses one message with the session's model, as the NLU of the product does."""
    loop = asyncio.new_event_loop()

    def run(text: str) -> Dict[str, Any]:
        return loop.run_until_complete(agent.parse_message(text))

    yield run
    loop.close()


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """The assistant's real domain, as the action server receives it."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(PROJECT_ROOT / "domain")).as_dict()


@pytest.fixture(scope="session")
def demo_database_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file built once per session by the real migrations and seeded with the demo
    data as of SEED_TIME; `database_url` hands each test its own copy."""
    path = tmp_path_factory.mktemp("demo-database") / "company.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = create_database_engine(url)
    with Session(engine, future=True) as session:
        seed(session, SEED_TIME, random.Random(7))
    engine.dispose()  # the last connection's close folds the WAL into the file
    return path


@pytest.fixture(autouse=True)
def team_at_work_around_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a handoff says does not depend on the hour a test runs at; the tests of the
    hours set their own (tests/handoff/test_team_hours.py, tests/actions/test_handoff.py)."""
    monkeypatch.setenv("SUPPORT_HOURS", "always")


@pytest.fixture
def database_url(demo_database_file: Path, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite file with the demo data, seeded as of SEED_TIME; actions use it."""
    path = tmp_path / "company.db"
    shutil.copyfile(demo_database_file, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    with session_factory(database_url)() as db:
        yield db


@pytest.fixture
def now() -> datetime:
    return SEED_TIME + timedelta(minutes=5)


class CheckedDispatcher(CollectingDispatcher):
    """Collects messages and fails a test when an action uses a response wrongly.

    Every `response=` must exist in the domain, and every `{placeholder}` in its text must
    be filled by the action's arguments or by a slot, or customers would see braces.
    """

    def __init__(self, domain: Dict[str, Any], slots: Dict[str, Any]) -> None:
        super().__init__()
        self._domain = domain
        self._slots = slots

    def utter_message(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().utter_message(*args, **kwargs)
        message = self.messages[-1]
        name = message.get("response")
        if not name:
            return
        variations = self._domain["responses"].get(name)
        assert variations, f"action used unknown response {name!r}"
        provided = set(message) | {k for k, v in self._slots.items() if v is not None}
        for variation in variations:
            for placeholder in re.findall(r"(?<!\{)\{(\w+)\}(?!\})", variation.get("text", "")):
                assert placeholder in provided, f"{name} needs {{{placeholder}}}"

    def responses(self) -> List[Optional[str]]:
        return [message.get("response") for message in self.messages]


@pytest.fixture
def make_dispatcher(domain: Dict[str, Any]):  # type: ignore[no-untyped-def]
    def build(tracker: Tracker) -> CheckedDispatcher:
        return CheckedDispatcher(domain, tracker.slots)

    return build


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    intent: Optional[str] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    intent_ranking: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    domain: Optional[Dict[str, Any]] = None,
    sender_id: str = "test",
    metadata: Optional[Dict[str, Any]] = None,
    latest_action: str = "action_listen",
) -> Tracker:
    """A tracker as the action server would receive it, with every domain slot present."""
    all_slots: Dict[str, Any] = {}
    if domain is not None:
        all_slots = {name: spec.get("initial_value") for name, spec in domain["slots"].items()}
    all_slots.update(slots or {})
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.95 if intent else 0.0},
        "entities": entities or [],
        "intent_ranking": intent_ranking or [],
        "metadata": metadata or {},
    }
    return Tracker(
        sender_id=sender_id,
        slots=all_slots,
        latest_message=latest,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=latest_action,
    )


def entity(name: str, value: str) -> Dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value)}


def bot_said(response: str, timestamp: float) -> Dict[str, Any]:
    """A bot message as Rasa stores it: the response it came from and when it was said."""
    return {"event": "bot", "text": "...", "timestamp": timestamp,
            "metadata": {"utter_action": response}}


def user_said(text: str, intent: Optional[str] = None) -> Dict[str, Any]:
    """A customer message as Rasa stores it (the latest one is also the tracker's
    `latest_message`)."""
    return {"event": "user", "text": text,
            "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.95}}}


# real databases and a hand-moved clock (tests/databases.py); the running product with a
# fake Telegram Bot API (tests/running.py)
pytest_plugins = ["tests.databases", "tests.running"]
