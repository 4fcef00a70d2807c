"""Only the gateway talks to the Rasa server and only the Rasa server to the action server;
secrets never appear on a command line. Against the running product (tests/running.py)."""

from __future__ import annotations

from pathlib import Path
from typing import List

import httpx

from bot.runtime.action_server import SECRET_HEADER
from bot.runtime.rasa_server import with_token
from tests.product import RunningProcess

# an action call that, if it ran, would change a customer's email on a forged tracker
FORGED_ACTION_CALL = {
    "next_action": "action_update_contact_details",
    "sender_id": "mallory",
    "version": "3.6.21",
    "domain": {},
    "tracker": {
        "sender_id": "mallory",
        "slots": {"account_verified": "alice.morgan@example.com", "contact_field": "email",
                  "new_contact_value": "mallory@example.com"},
        "latest_message": {}, "events": [], "paused": False, "followup_action": None,
        "active_loop": {}, "latest_action_name": "action_listen",
    },
}


def action_server(product: RunningProcess) -> str:
    return f"http://127.0.0.1:{product.env['ACTION_PORT']}"


def test_rasa_rest_channel_is_off(product: RunningProcess) -> None:
    answer = httpx.post(f"{product.rasa_url}/webhooks/rest/webhook",
                        json={"sender": "mallory", "message": "where is my order HG-100001"})
    assert answer.status_code == 404
    status = httpx.get(f"{product.rasa_url}/status", params={"token": product.env["RASA_TOKEN"]})
    assert status.status_code == 200  # the server itself is up; only the channel is closed


def test_action_server_refuses_calls_without_the_secret(product: RunningProcess) -> None:
    url = action_server(product)
    assert httpx.post(f"{url}/webhook", json=FORGED_ACTION_CALL).status_code == 403
    wrong = {SECRET_HEADER: "guess"}
    assert httpx.post(f"{url}/webhook", json=FORGED_ACTION_CALL, headers=wrong).status_code == 403
    assert httpx.get(f"{url}/actions").status_code == 403
    assert httpx.get(f"{url}/health").status_code == 200
    right = {SECRET_HEADER: product.env["ACTION_SERVER_SECRET"]}
    listed = httpx.get(f"{url}/actions", headers=right)
    assert listed.status_code == 200
    assert {"name": "action_update_contact_details"} in listed.json()


def test_the_assistant_still_runs_its_actions(product: RunningProcess) -> None:
    """The Rasa server sends the secret: a custom action (the order form's validation)
    runs and answers."""
    from tests.product import CustomerClient

    customer = CustomerClient(product.gateway_url)
    customer.say("where is my order?")
    assert "email address" in customer.say("HG-100002")


def _command_lines() -> List[str]:
    lines = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                lines.append(entry.joinpath("cmdline").read_bytes().replace(b"\0", b" ").decode(
                    errors="replace"))
            except OSError:
                continue  # the process ended meanwhile
    return lines


def test_no_secret_on_any_command_line(product: RunningProcess) -> None:
    lines = _command_lines()
    port = product.env["RASA_PORT"]
    assert any("bot.runtime.rasa_server" in line and port in line for line in lines), \
        "the product's Rasa server was not found among the processes"
    for key in ("RASA_TOKEN", "ACTION_SERVER_SECRET", "RASA_CHANNEL_SECRET", "GATEWAY_SECRET"):
        secret = product.env[key]
        assert not [line for line in lines if secret in line], f"{key} is on a command line"


def test_the_token_is_added_inside_the_process_only_for_rasa_run() -> None:
    assert with_token(["rasa", "run", "--port", "1"], "t0k") == ["rasa", "run", "--port", "1",
                                                                 "--auth-token=t0k"]
    assert with_token(["rasa", "run", "--auth-token=given"], "t0k") == ["rasa", "run",
                                                                       "--auth-token=given"]
    assert with_token(["rasa", "train"], "t0k") == ["rasa", "train"]
    assert with_token(["rasa", "run"], "") == ["rasa", "run"]
