"""The model store and activation without a training run: the build is registered once and
served first, a restart forgets interrupted runs, one run at a time, the gate refuses a
worse model (an admin may override with a reason), and a Rasa server that is down changes
nothing unless the caller accepts a later start serving the model."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from bot.runtime.launch import free_port
from handoff.accounts import StaffAccounts
from handoff.models import Role
from tests.databases import Clock
from trainer.activation import Activation
from trainer.evaluation import IntentScore, Scores, test_set_fingerprint
from trainer.hot_swap import RasaModelServer, RasaUnreachable
from trainer.models import ModelStatus
from trainer.registry import ModelStore, ModelStoreError


@pytest.fixture
def store(sessions: sessionmaker, tmp_path: Path, clock: Clock) -> ModelStore:
    return ModelStore(sessions, tmp_path / "versions", clock)


def build(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "caredesk.tar.gz"
    path.write_bytes(content)
    return path


def scores(macro_f1: float) -> Scores:
    return Scores(macro_f1=macro_f1, accuracy=macro_f1,
                  intents={"order_status": IntentScore(macro_f1, 1.0, macro_f1, 8)},
                  stories_passed=["order status (test_orders.yml)"], stories_failed=[],
                  test_set=test_set_fingerprint(), heldout_examples=8)


def trained(store: ModelStore, macro_f1: float) -> int:
    """A version as a finished training run leaves it (the model file is any bytes here)."""
    version_id = store.start("cli", None, None)
    store.model_path(version_id).write_bytes(f"model {version_id}".encode())
    store.finish(version_id, scores(macro_f1))
    return version_id


def test_the_first_build_is_registered_once_and_served(store: ModelStore, tmp_path: Path) -> None:
    served, first = store.bootstrap(build(tmp_path, b"first build"))
    assert served == store.model_path(first) and served.read_bytes() == b"first build"
    assert store.bootstrap(build(tmp_path, b"first build")) == (served, first)
    assert [v.status for v in store.versions()] == [ModelStatus.ACTIVE]

    served_again, second = store.bootstrap(build(tmp_path, b"a newer build"))
    assert second != first and served_again == served  # a new build waits for activation
    assert store.view(second).status == ModelStatus.READY and store.view(second).scores is None


def test_a_stale_file_of_the_same_name_is_replaced_by_the_build(sessions: sessionmaker,
                                                               tmp_path: Path,
                                                               clock: Clock) -> None:
    """A new database (a reset, a test) numbers its versions from 1 again: a v1 file left
    by an older database must not be served in place of this build."""
    directory = tmp_path / "versions"
    directory.mkdir()
    (directory / "v1.tar.gz").write_bytes(b"an older database's first model")
    served, build_id = ModelStore(sessions, directory, clock).bootstrap(
        build(tmp_path, b"this checkout's model"))
    assert build_id == 1 and served.read_bytes() == b"this checkout's model"


def test_a_restart_forgets_an_interrupted_run(store: ModelStore, tmp_path: Path) -> None:
    store.bootstrap(build(tmp_path, b"build"))
    running = store.start("workbench", "more examples", None)
    with pytest.raises(ModelStoreError) as refused:
        store.start("cli", None, None)
    assert refused.value.status == 409
    store.bootstrap(build(tmp_path, b"build"))
    assert store.view(running).status == ModelStatus.FAILED
    assert "interrupted" in store.view(running).error
    store.start("cli", None, None)  # nothing runs any more


def test_activation_is_gated_and_an_admin_may_override(store: ModelStore, sessions: sessionmaker,
                                                      tmp_path: Path) -> None:
    accounts = StaffAccounts(sessions)
    trainer = accounts.create_user("tess", "tess-password-0123", Role.TRAINER, "Tess")
    admin = accounts.create_user("ada", "ada-password-0123", Role.ADMIN, "Ada")
    good = trained(store, 0.92)
    store.make_active(good, None, None)
    worse = trained(store, 0.85)
    down = Activation(store, RasaModelServer([f"http://127.0.0.1:{free_port()}"], "token"))

    def activate(member, reason=None, may_be_down=False):
        return asyncio.run(down.activate(worse, member, reason, rasa_may_be_down=may_be_down))

    with pytest.raises(ModelStoreError) as refused:
        activate(trainer)
    assert refused.value.status == 409
    assert "macro-F1 0.850 is lower than the active model's 0.920" in refused.value.message
    with pytest.raises(ModelStoreError) as forbidden:
        activate(trainer, "the customers need the new intent today")
    assert forbidden.value.status == 403
    with pytest.raises(ModelStoreError) as unexplained:
        activate(admin, "because")
    assert unexplained.value.status == 422
    with pytest.raises(RasaUnreachable):
        activate(admin, "the customers need the new intent today")
    assert store.active().id == good  # nothing changed

    done = activate(admin, "the customers need the new intent today", may_be_down=True)
    assert not done.served and not done.gate.passed
    assert store.active().id == worse
    assert store.view(worse).override_reason == "the customers need the new intent today"
    assert store.view(worse).activated_by == "ada"
    assert store.view(good).status == ModelStatus.RETIRED
    assert store.rollback_target().id == good

    back = asyncio.run(down.rollback(trainer, rasa_may_be_down=True))
    assert back.version.id == good and store.active().id == good
    assert store.view(worse).status == ModelStatus.RETIRED


def test_a_version_without_current_scores_cannot_be_activated(store: ModelStore,
                                                              tmp_path: Path) -> None:
    store.bootstrap(build(tmp_path, b"build"))
    candidate = trained(store, 0.99)
    activation = Activation(store, RasaModelServer([f"http://127.0.0.1:{free_port()}"], "token"))
    with pytest.raises(ModelStoreError) as refused:
        asyncio.run(activation.activate(candidate, None, rasa_may_be_down=True))
    assert refused.value.status == 409 and "evaluate" in refused.value.message


def test_a_lost_model_file_falls_back_to_the_build(store: ModelStore, tmp_path: Path) -> None:
    served, build_id = store.bootstrap(build(tmp_path, b"build"))
    trained_id = trained(store, 0.93)
    store.make_active(trained_id, None, None)
    store.model_path(trained_id).unlink()
    assert store.bootstrap(build(tmp_path, b"build")) == (served, build_id)
    assert store.active().id == build_id
    assert store.view(trained_id).status == ModelStatus.FAILED
    assert "missing" in store.view(trained_id).error


def test_rolling_back_to_an_overridden_model_needs_an_admin(store: ModelStore,
                                                            sessions: sessionmaker) -> None:
    accounts = StaffAccounts(sessions)
    trainer = accounts.create_user("tess", "tess-password-0123", Role.TRAINER, "Tess")
    admin = accounts.create_user("ada", "ada-password-0123", Role.ADMIN, "Ada")
    overridden = trained(store, 0.80)
    store.make_active(overridden, admin.id, "the new intent is needed today")
    better = trained(store, 0.95)
    store.make_active(better, trainer.id, None)
    down = Activation(store, RasaModelServer([f"http://127.0.0.1:{free_port()}"], "token"))
    with pytest.raises(ModelStoreError) as refused:
        asyncio.run(down.rollback(trainer, rasa_may_be_down=True))
    assert refused.value.status == 403 and store.active().id == better
    back = asyncio.run(down.rollback(admin, rasa_may_be_down=True))
    assert back.version.id == overridden and store.active().id == overridden


async def test_an_activated_model_is_loaded_into_every_rasa_server(
        store: ModelStore, tmp_path: Path) -> None:
    """Several Rasa servers behind one address (make run-scaled): each gets the model by its
    own address; one that is down meanwhile does not stop the others, and loads the
    active version when it starts again."""
    from tests.gateway.stub_rasa import SlowRasa

    store.make_active(trained(store, 0.9), None, None)
    better = trained(store, 0.95)
    servers = [SlowRasa(delay=0.0), SlowRasa(delay=0.0)]
    for server in servers:
        server.start()
    try:
        down = f"http://127.0.0.1:{free_port()}"
        urls = [f"http://127.0.0.1:{server.port}" for server in servers] + [down]
        done = await Activation(store, RasaModelServer(urls, "token")).activate(better, None)
        assert done.served and store.active().id == better
        assert [server.model_file for server in servers] == [str(store.model_path(better))] * 2
    finally:
        for server in servers:
            server.stop()
