"""What the API fuzzing (tests/gateway/test_fuzz.py) found, each pinned by a plain request
on a lone gateway (no Rasa, Telegram's Bot API unreachable): every answer is a documented
4xx in the JSON error shape, never a 500, and never a training run by mistake."""

from __future__ import annotations

from typing import Any, Dict, Iterator

import httpx
import pytest
import websockets

from bot.gateway.app import create_app
from ground.web.ids import MAX_ID
from ground.settings import Settings
from tests.product import CustomerClient, RunningProcess, StaffClient, product_environment, start_gateway

TELEGRAM_SECRET = "findings-telegram-secret"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProcess]:
    folder = tmp_path_factory.mktemp("findings")
    (folder / "training").mkdir()  # no config.yml: a run started by mistake fails at once
    env = product_environment(
        folder, RASA_PORT="9", ACTION_PORT="9",
        TELEGRAM_BOT_TOKEN="123456:findings", TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
        TELEGRAM_WEBHOOK_SECRET=TELEGRAM_SECRET, TRAINING_DATA_DIR=str(folder / "training"),
        MODEL_STORE_DIR=str(folder / "versions"))
    process = start_gateway(folder, env)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def admin(gateway: RunningProcess) -> StaffClient:
    return StaffClient.admin(gateway.gateway_url)


def error_of(response: httpx.Response, status: int) -> Dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["code"] and error["message"]
    return error


def test_a_plain_get_on_a_websocket_is_426_json_not_500(gateway: RunningProcess) -> None:
    customer = CustomerClient(gateway.gateway_url)
    for path in (f"/api/v1/conversations/{customer.id}/ws?token={customer.token}",
                 "/api/v1/staff/ws?token=x", "/api/v1/trainer/models/ws?token=x"):
        response = httpx.get(gateway.gateway_url + path)
        assert error_of(response, 426)["code"] == "upgrade_required"
        assert response.headers["upgrade"] == "websocket"
        # a malformed handshake: 400, as JSON
        response = httpx.get(gateway.gateway_url + path, headers={
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "short",
            "Sec-WebSocket-Version": "13"})
        error_of(response, 400)


async def test_a_real_websocket_still_connects(gateway: RunningProcess) -> None:
    customer = CustomerClient(gateway.gateway_url)
    url = gateway.gateway_url.replace("http", "ws")
    async with websockets.connect(f"{url}/api/v1/conversations/{customer.id}/ws"
                                  f"?token={customer.token}") as socket:
        assert '"ready"' in await socket.recv()


def test_an_unrouted_method_on_a_path_with_parameters_is_405_with_allow(
    gateway: RunningProcess,
) -> None:
    response = httpx.request("TRACE", f"{gateway.gateway_url}/api/v1/conversations/x/messages")
    error_of(response, 405)
    assert response.headers["allow"] == "GET, POST"
    response = httpx.put(f"{gateway.gateway_url}/healthz")
    error_of(response, 405)
    assert response.headers["allow"] == "GET"
    error_of(httpx.get(f"{gateway.gateway_url}/api/v1/no/such/path"), 404)


def test_ids_beyond_64_bits_or_not_in_ascii_digits_are_refused(
    gateway: RunningProcess, admin: StaffClient,
) -> None:
    http, huge = admin.http, MAX_ID + 1
    error_of(http.patch(f"/api/v1/staff/{huge}", json={"active": True}), 404)
    error_of(http.post(f"/api/v1/staff/{huge}/customers", json={"customer_id": 1}), 404)
    error_of(http.post("/api/v1/trainer/flags", json={"message_id": huge}), 422)
    error_of(http.post("/api/v1/tickets/1/transfer", json={"note": "n", "to_user": huge}), 422)
    error_of(http.get("/api/v1/tickets/²"), 404)  # "²".isdigit(), but int("²") fails
    error_of(http.get("/api/v1/requirements/²"), 404)
    error_of(http.get("/api/v1/requirements", params={"customer_id": "²"}), 422)
    error_of(http.get("/api/v1/trainer/inbox", params={"limit": "²"}), 422)
    customer = CustomerClient(gateway.gateway_url)
    error_of(customer.http.get(f"{gateway.gateway_url}/api/v1/conversations/{customer.id}"
                               "/messages", params={"after": "²"}, headers=customer.headers), 422)


def test_staff_creation_and_vip_owners_refuse_what_the_spec_refuses(admin: StaffClient) -> None:
    http = admin.http
    good = {"username": "fuzz-case", "password": "p" * 12, "role": "agent"}
    assert http.post("/api/v1/staff", json=good).status_code == 201
    assert error_of(http.post("/api/v1/staff", json=good), 409)["code"] == "conflict"  # taken
    error_of(http.post("/api/v1/staff", json={**good, "username": "fuzz-long",
                                               "password": "p" * 1025}), 422)
    error_of(http.post("/api/v1/staff", json={**good, "username": "fuzz-dn",
                                               "display_name": 7}), 422)
    error_of(http.post("/api/v1/staff", json={**good, "username": "fuzz-sk", "skills": None}), 422)
    blank = http.post("/api/v1/staff", json={**good, "username": "fuzz-blank", "display_name": " "})
    assert blank.json()["user"]["display_name"] == "fuzz-blank"
    error_of(http.post("/api/v1/staff", content=b"[]"), 400)
    manager = admin.add("fuzz-manager", "account_manager")
    # no such customer: was an IntegrityError (500) with SQLite's foreign keys on
    error_of(http.post(f"/api/v1/staff/{manager.user['id']}/customers",
                       json={"customer_id": 999_999}), 422)
    error_of(http.post("/api/v1/staff/999999/customers", json={"customer_id": 1}), 404)
    error_of(http.patch(f"/api/v1/staff/{manager.user['id']}", json={"password": "p" * 1025}), 422)


def test_list_parameters_are_refused_rather_than_read_loosely(admin: StaffClient) -> None:
    http = admin.http
    for limit in ("0", "201"):  # were read as 50 and as 200
        error_of(http.get("/api/v1/requirements", params={"limit": limit}), 422)
    assert http.get("/api/v1/requirements", params={"limit": "200"}).status_code == 200
    error_of(http.get("/api/v1/trainer/inbox", params={"include_decided": "yes"}), 422)
    assert http.get("/api/v1/trainer/inbox", params={"include_decided": "true"}).status_code == 200


def test_a_json_null_body_starts_no_training_run(admin: StaffClient) -> None:
    http = admin.http
    before = http.get("/api/v1/trainer/models").json()["versions"]
    error_of(http.post("/api/v1/trainer/models", content=b"null",
                       headers={"content-type": "application/json"}), 400)
    error_of(http.post("/api/v1/trainer/models/1/activation", content=b"null",
                       headers={"content-type": "application/json"}), 400)
    assert http.get("/api/v1/trainer/models").json()["versions"] == before


def test_a_telegram_update_of_the_wrong_shape_is_422_not_500(gateway: RunningProcess) -> None:
    def post(update: Any) -> httpx.Response:
        return httpx.post(f"{gateway.gateway_url}/telegram/webhook", json=update,
                          headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})

    for update in ({"update_id": 1, "message": "text"}, {"update_id": 2, "message": {"chat": 5}},
                   {"update_id": 3, "callback_query": [1]}, {"update_id": -1},
                   {"update_id": MAX_ID + 1}, {"update_id": True}):
        error_of(post(update), 422)


def test_the_staff_and_reveal_limits_are_settings() -> None:
    settings = Settings.from_env({
        "RASA_TOKEN": "t", "GATEWAY_SECRET": "g" * 40, "RASA_CHANNEL_SECRET": "c" * 40,
        "REQUIREMENTS_WEBHOOK_SECRET": "w" * 40, "STAFF_REQUESTS_PER_MINUTE": "7",
        "TRAINER_REVEALS_PER_MINUTE": "3"})
    app = create_app(settings, name="findings_limits")
    assert app.ctx.staff_limit._limit == 7 and app.ctx.reveal_limit._limit == 3
    defaults = Settings.from_env({})
    assert (defaults.staff_requests_per_minute, defaults.trainer_reveals_per_minute) == (300, 20)
