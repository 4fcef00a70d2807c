"""Limits that count per client address see the real client behind a trusted reverse proxy,
cannot be dodged by a forged forwarded header, and never lock a staff member out from
elsewhere. A lone gateway (no assistant needed) on its own database."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from tests.product import ADMIN_PASSWORD, RunningProcess, product_environment, start_gateway

ATTACKER, ADMIN_AT_HOME, SOMEONE_ELSE = "203.0.113.7", "198.51.100.9", "192.0.2.44"


def via(address: str) -> dict:
    return {"X-Forwarded-For": address}


@pytest.fixture(scope="module")
def behind_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProcess]:
    folder = tmp_path_factory.mktemp("proxied")
    env = product_environment(folder, RASA_PORT="9", PROXIES_COUNT="1",
                              LOGIN_RATE_PER_MINUTE="10", CONVERSATION_RATE_PER_MINUTE="2",
                              # the guesses after the fifth come well within the first delay,
                              # however busy the machine (one second was not always enough)
                              LOGIN_THROTTLE_FIRST_DELAY_SECONDS="30",
                              MESSAGE_RATE_PER_ADDRESS_PER_MINUTE="3")
    gateway = start_gateway(folder, env)
    yield gateway
    gateway.stop()


@pytest.fixture(scope="module")
def no_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProcess]:
    folder = tmp_path_factory.mktemp("direct")
    env = product_environment(folder, RASA_PORT="9", CONVERSATION_RATE_PER_MINUTE="2")
    gateway = start_gateway(folder, env)
    yield gateway
    gateway.stop()


def login(gateway: RunningProcess, password: str, address: str) -> httpx.Response:
    return httpx.post(f"{gateway.gateway_url}/api/v1/auth/login", headers=via(address),
                      json={"username": "admin", "password": password}, timeout=30)


def test_guessing_from_one_address_never_locks_the_admin_out_elsewhere(
        behind_proxy: RunningProcess) -> None:
    statuses = [login(behind_proxy, f"guess-{n}", ATTACKER).status_code for n in range(12)]
    assert statuses[:5] == [401] * 5
    assert set(statuses[5:]) == {429}  # slowed down where the guesses come from
    assert login(behind_proxy, ADMIN_PASSWORD, ADMIN_AT_HOME).status_code == 200
    refused = login(behind_proxy, ADMIN_PASSWORD, ATTACKER)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


def test_limits_count_the_real_client_behind_the_proxy(behind_proxy: RunningProcess) -> None:
    url = f"{behind_proxy.gateway_url}/api/v1/conversations"
    first = [httpx.post(url, headers=via(SOMEONE_ELSE)).status_code for _ in range(3)]
    assert first == [201, 201, 429]
    assert httpx.post(url, headers=via("192.0.2.45")).status_code == 201


def test_messages_are_limited_per_address_across_conversations(behind_proxy: RunningProcess) -> None:
    address = "192.0.2.99"
    conversations = [httpx.post(f"{behind_proxy.gateway_url}/api/v1/conversations",
                                headers=via(address)).json() for _ in range(2)]

    def send(conversation: dict, sender: str) -> int:
        return httpx.post(
            f"{behind_proxy.gateway_url}/api/v1/conversations/{conversation['id']}/messages",
            json={"text": "hello"}, timeout=30,
            headers={**via(sender), "Authorization": f"Bearer {conversation['token']}"},
        ).status_code

    statuses = [send(conversations[n % 2], address) for n in range(4)]
    assert statuses == [200, 200, 200, 429]  # two conversations, one address
    assert send(conversations[0], "192.0.2.100") == 200


def test_a_forged_forwarded_header_is_ignored_without_a_trusted_proxy(
        no_proxy: RunningProcess) -> None:
    url = f"{no_proxy.gateway_url}/api/v1/conversations"
    statuses = [httpx.post(url, headers=via(f"10.0.0.{n}")).status_code for n in range(3)]
    assert statuses == [201, 201, 429]
