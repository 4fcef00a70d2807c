"""The workbench learns that an evaluation ended from the server, as a model event over its
WebSocket, not by asking again every 2 s: with the page's clock stopped no timer of the page
can fire, and the outcome still shows. While the socket is down the page does ask, every 2 s.

The evaluated version's model file is gone, so its evaluation fails at once (no model to
load): the test is about the wait, not about scores."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from bot.schema import metadata
from ground.database import session_factory
from tests.product import RunningProcess, StaffClient, product_environment, start_gateway
from trainer.registry import ModelStore


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProcess]:
    folder = tmp_path_factory.mktemp("evaluation-wait")
    process = start_gateway(folder, product_environment(folder))  # no Rasa: none is needed
    try:
        yield process
    finally:
        process.stop()


def version_without_a_model(gateway: RunningProcess, tmp_path: Path) -> int:
    metadata()  # every table declared: a version's foreign keys name the staff's table
    store = ModelStore(session_factory(gateway.env["DATABASE_URL"]),
                       Path(gateway.env["MODEL_STORE_DIR"]))
    build = tmp_path / f"build-{uuid.uuid4().hex}.tar.gz"
    build.write_bytes(b"a build that is not a model " + build.name.encode())
    version_id = store.register_build(build)
    store.model_path(version_id).unlink()
    return version_id


def open_comparison(page: Page, gateway: RunningProcess, version_id: int) -> None:
    name = f"eve-{uuid.uuid4().hex[:6]}"
    StaffClient.admin(gateway.gateway_url).add(name, "trainer")
    page.goto(gateway.gateway_url + "/trainer")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(f"{name}-password-0123")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name=f"Compare v{version_id} with the active model").click()
    expect(page.get_by_role("button", name=f"Evaluate v{version_id}")).to_be_visible()


def test_the_end_of_an_evaluation_comes_from_the_server(workbench: Page, gateway: RunningProcess,
                                                        tmp_path: Path) -> None:
    version_id = version_without_a_model(gateway, tmp_path)
    workbench.clock.install()  # the page's timers fire only when the test moves its clock
    open_comparison(workbench, gateway, version_id)
    expect(workbench.locator("#models[data-live='on']")).to_be_attached()

    workbench.get_by_role("button", name=f"Evaluate v{version_id}").click()
    expect(workbench.locator("#comparison-error")).to_have_text(
        re.compile(rf"^v{version_id}'s evaluation failed: .*no model file"), timeout=15_000)


def test_while_the_socket_is_down_the_page_asks_every_two_seconds(
        workbench: Page, gateway: RunningProcess, tmp_path: Path) -> None:
    version_id = version_without_a_model(gateway, tmp_path)
    silent: List[WebSocketRoute] = []
    # the socket opens but the server never says "ready": the page is not live
    workbench.route_web_socket("**/api/v1/trainer/models/ws*", lambda socket: silent.append(socket))
    open_comparison(workbench, gateway, version_id)
    assert silent, "the page did not try its socket"
    expect(workbench.locator("#models")).not_to_have_attribute("data-live", "on")

    workbench.get_by_role("button", name=f"Evaluate v{version_id}").click()
    expect(workbench.locator("#comparison-error")).to_have_text(
        re.compile(rf"^v{version_id}'s evaluation failed: .*no model file"), timeout=15_000)
