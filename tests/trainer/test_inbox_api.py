"""The review inbox fed by real conversations through the gateway, shown to trainers with
personal data concealed, a trainer's decisions written (masked) into the training data,
and the reveal of one message's original for a recorded reason, through the running
product."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import yaml
from sqlalchemy import select

from ground.database import session_factory

from tests.plain_refs import plain_ref
from tests.product import CustomerClient, RunningProcess, StaffClient
from trainer.api import REVEALS_PER_MINUTE
from trainer.models import TrainerReveal


def inbox(trainer: StaffClient, **params: str) -> list:
    response = trainer.http.get("/api/v1/trainer/inbox", params=params)
    response.raise_for_status()
    return response.json()["items"]


# an ISO time's digits ("...T03:19:10.079110Z") are no customer's: without them a secret such
# as a phone prefix cannot be found where only a clock wrote it
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?")
# nor are the digits of a random identifier (a conversation's "6d48b32eee0791199f74...")
IDENTIFIER = re.compile(r"\b[0-9a-f]{32}\b|\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b")


def without_clocks_and_ids(text: str) -> str:
    """`text` with its timestamps and random identifiers replaced by placeholders."""
    return IDENTIFIER.sub("<id>", TIMESTAMP.sub("<time>", text))


def find(items: list, text: str) -> dict:
    matching = [item for item in items if item["text"] == text]
    assert matching, f"{text!r} is not in the inbox: {[i['text'] for i in items]}"
    return matching[0]


def test_messages_reach_the_inbox_and_a_correction_is_written_masked(product: RunningProcess) -> None:
    admin = StaffClient.admin(product.gateway_url)
    trainer = admin.add(f"tia-{uuid.uuid4().hex[:6]}", "trainer")
    puzzled = CustomerClient(product.gateway_url)
    # vague: no intent fits surely (gibberish gets the out-of-scope answer instead)
    nonsense = "can you sort the thing out"
    puzzled.say(nonsense)
    worried = CustomerClient(product.gateway_url)
    smoke = "my kettle from order HG-100002 smells of smoke and the base is melting"
    assert "passing you to a person" in worried.say(smoke)
    shown_smoke = smoke.replace("HG-100002", "HG-100000")  # trainers see the placeholder

    items = inbox(trainer)
    fell_back = find(items, nonsense)
    assert "fallback" in fell_back["reasons"] and fell_back["conversation_id"] == puzzled.id
    assert fell_back["intent"] == "nlu_fallback" and fell_back["next_best"]
    escalated = find(items, shown_smoke)
    assert "escalated" in escalated["reasons"] and escalated["conversation_id"] == worried.id
    # the NLU found the order number; trainers see where, as the placeholder
    order = shown_smoke.index("HG-100000")
    assert {"entity": "order_number", "value": "HG-100000", "start": order, "end": order + 9} in [
        {k: e[k] for k in ("entity", "value", "start", "end")} for e in escalated["entities"]]
    assert "HG-100002" not in json.dumps(items)
    assert all("fallback" in item["reasons"] for item in inbox(trainer, filter="fallback"))

    # the escalated message becomes the first example of a new intent, order number masked
    decided = trainer.http.post(f"/api/v1/trainer/inbox/{escalated['id']}/decision", json={
        "verdict": "correct", "intent": "product_safety", "create_intent": True})
    assert decided.status_code == 201, decided.text
    assert decided.json()["example"] == ("my kettle from order [HG-100000](order_number) smells "
                                         "of smoke and the base is melting")
    data = Path(product.env["TRAINING_DATA_DIR"])
    reviewed = yaml.safe_load((data / "data/nlu/reviewed.yml").read_text())["nlu"]
    assert {"intent": "product_safety", "examples": f"- {decided.json()['example']}\n"} in reviewed
    assert "HG-100002" not in (data / "data/nlu/reviewed.yml").read_text()
    assert "product_safety" in trainer.http.get("/api/v1/trainer/intents").json()["intents"]
    # decided once; it leaves the inbox
    again = trainer.http.post(f"/api/v1/trainer/inbox/{escalated['id']}/decision",
                              json={"verdict": "discard"})
    assert again.status_code == 409
    assert smoke not in [item["text"] for item in inbox(trainer)]
    assert shown_smoke not in [item["text"] for item in inbox(trainer)]
    assert trainer.http.post(f"/api/v1/trainer/inbox/{fell_back['id']}/decision",
                             json={"verdict": "confirm"}).status_code == 422  # a fallback
    assert trainer.http.post(f"/api/v1/trainer/inbox/{fell_back['id']}/decision",
                             json={"verdict": "discard"}).status_code == 201


def test_only_trainers_and_admins(product: RunningProcess) -> None:
    admin = StaffClient.admin(product.gateway_url)
    agent = admin.add(f"ada-{uuid.uuid4().hex[:6]}", "agent")
    customer = CustomerClient(product.gateway_url)
    url = f"{product.gateway_url}/api/v1/trainer/inbox"
    assert customer.http.get(url).status_code == 401
    assert customer.http.get(url, headers=customer.headers).status_code == 401
    assert agent.http.get("/api/v1/trainer/inbox").status_code == 403
    assert admin.http.get("/api/v1/trainer/inbox", params={"filter": "odd"}).status_code == 422
    assert admin.http.get("/api/v1/trainer/inbox", params={"limit": "0"}).status_code == 422
    assert admin.http.post("/api/v1/trainer/inbox/99999999/decision",
                           json={"verdict": "discard"}).status_code == 404
    assert admin.http.post("/api/v1/trainer/inbox/1/decision", json=[]).status_code == 400
    assert admin.http.post("/api/v1/trainer/inbox/1/decision",
                           json={"verdict": "correct"}).status_code == 422


def test_an_agent_flags_a_message_for_the_trainers(product: RunningProcess) -> None:
    admin = StaffClient.admin(product.gateway_url)
    agent = admin.add(f"fay-{uuid.uuid4().hex[:6]}", "agent")
    expert = admin.add(f"eli-{uuid.uuid4().hex[:6]}", "expert", skills=("technical",))
    trainer = admin.add(f"tim-{uuid.uuid4().hex[:6]}", "trainer")
    customer = CustomerClient(product.gateway_url)
    first = f"hiya, is the summit bag waterproof or nah {plain_ref()}"
    customer.say(first)
    assert "passing you to a person" in customer.say("can I speak to a human please")
    ticket = agent.ticket_of(customer.id)
    transcript = agent.http.get(f"/api/v1/tickets/{ticket['id']}").json()["transcript"]
    said = next(m for m in transcript if m["text"] == first)
    bot_reply = next(m for m in transcript if m["author"] == "bot")

    flag = {"message_id": said["id"], "note": "asked about waterproofing, got something else"}
    assert expert.http.post("/api/v1/trainer/flags", json=flag).status_code == 403  # not their tier
    assert trainer.http.post("/api/v1/trainer/flags", json=flag).status_code == 403  # not a ticket role
    assert agent.http.post("/api/v1/trainer/flags", json={"message_id": bot_reply["id"]}).status_code == 404
    assert agent.http.post("/api/v1/trainer/flags", json={"message_id": "x"}).status_code == 422
    assert agent.http.post("/api/v1/trainer/flags", json=flag).status_code == 201
    assert agent.http.post("/api/v1/trainer/flags", json=flag).status_code == 409

    flagged = find(inbox(trainer, filter="flagged"), first)
    assert "flagged" in flagged["reasons"] and flagged["flag_note"] == flag["note"]
    assert all("flagged" in item["reasons"] for item in inbox(trainer, filter="flagged"))


def test_a_resolved_handoff_offers_its_first_message_with_the_reason(product: RunningProcess) -> None:
    admin = StaffClient.admin(product.gateway_url)
    agent = admin.add(f"gus-{uuid.uuid4().hex[:6]}", "agent")
    trainer = admin.add(f"tara-{uuid.uuid4().hex[:6]}", "trainer")
    customer = CustomerClient(product.gateway_url)
    first = f"hello there, question about my Harbor Club membership {plain_ref()}"
    customer.say(first)
    assert "passing you to a person" in customer.say("I want to speak to a real person")
    ticket = agent.ticket_of(customer.id)
    assert first not in [i["text"] for i in inbox(trainer, filter="resolved_ticket")]
    assert agent.http.post(f"/api/v1/tickets/{ticket['id']}/claim").status_code == 200
    resolved = agent.http.post(f"/api/v1/tickets/{ticket['id']}/resolve",
                               json={"outcome": "solved", "note": "explained the plans"})
    assert resolved.status_code == 200, resolved.text
    offered = find(inbox(trainer, filter="resolved_ticket"), first)
    assert offered["ticket_reasons"] == ["requested_human"]


def test_a_trainer_marks_entity_spans(product: RunningProcess) -> None:
    trainer = StaffClient.admin(product.gateway_url).add(f"tam-{uuid.uuid4().hex[:6]}", "trainer")
    # one clause: "…? ref xyz" may be split in two messages when the reference reads as a detail
    text = f"can the toaster go back to you from Spain, ref {plain_ref()}?"
    CustomerClient(product.gateway_url).say(text)
    item = find(inbox(trainer, limit="200", filter="all"), text)
    toaster, spain = text.index("toaster"), text.index("Spain")
    decision = f"/api/v1/trainer/inbox/{item['id']}/decision"

    for spans, problem in [([{"start": toaster, "end": toaster + 4, "entity": "product"}], "cut a word"),
                           ([{"start": toaster, "end": toaster + 7, "entity": "colour"}], "no such entity"),
                           ([{"start": toaster, "end": "7", "entity": "product"}], "entities must be")]:
        refused = trainer.http.post(decision, json={"verdict": "correct", "intent": "ask_return_policy",
                                                    "entities": spans})
        assert refused.status_code == 422 and problem in refused.json()["error"]["message"], refused.text
    data = Path(product.env["TRAINING_DATA_DIR"]) / "data/nlu/reviewed.yml"
    assert "toaster" not in (data.read_text() if data.exists() else "")  # nothing was written

    decided = trainer.http.post(decision, json={
        "verdict": "correct", "intent": "ask_return_policy",
        "entities": [{"start": spain, "end": spain + 5, "entity": "country"},
                     {"start": toaster, "end": toaster + 7, "entity": "product"}]})
    assert decided.status_code == 201, decided.text
    assert decided.json()["example"].startswith(
        "can the [toaster](product) go back to you from [Spain](country), ref ")
    assert decided.json()["entities"] == [{"entity": "product", "value": "toaster"},
                                          {"entity": "country", "value": "Spain"}]
    assert decided.json()["example"] in data.read_text()
    entities = trainer.http.get("/api/v1/trainer/intents").json()["entities"]
    assert {"product", "country", "order_number"} <= set(entities)


def test_a_held_out_phrasing_never_becomes_training_data(product: RunningProcess) -> None:
    trainer = StaffClient.admin(product.gateway_url).add(f"tal-{uuid.uuid4().hex[:6]}", "trainer")
    heldout = yaml.safe_load((Path(__file__).parents[1] / "heldout" / "nlu.yml").read_text())["nlu"]
    greeting = next(item for item in heldout if item["intent"] == "greet")
    text = next(line[2:] for line in greeting["examples"].splitlines() if "[" not in line)
    CustomerClient(product.gateway_url).say(text)
    item = find(inbox(trainer, limit="200", filter="all"), text)
    refused = trainer.http.post(f"/api/v1/trainer/inbox/{item['id']}/decision",
                                json={"verdict": "correct", "intent": "greet"})
    assert refused.status_code == 409 and "held-out" in refused.json()["error"]["message"]
    data = Path(product.env["TRAINING_DATA_DIR"]) / "data/nlu/reviewed.yml"
    assert text not in (data.read_text() if data.exists() else "")


def test_personal_data_is_concealed_and_revealed_only_for_a_recorded_reason(
        product: RunningProcess) -> None:
    admin = StaffClient.admin(product.gateway_url)
    suffix = plain_ref()
    trainer = admin.add(f"tru-{suffix}", "trainer")
    agent = admin.add(f"agt-{suffix}", "agent")
    customer = CustomerClient(product.gateway_url)
    written = (f"hi, my email is jo.bloggs@gmail.com and order HG-123456 never reached SW1A 1AA, "
               f"call 07911 123456 ref {suffix}")
    customer.say(written)
    shown = (f"hi, my email is name@example.com and order HG-100000 never reached AB1 2CD, "
             f"call 07700 900000 ref {suffix}")
    secrets = ("jo.bloggs", "gmail", "123456", "SW1A", "07911")

    items = inbox(trainer, filter="all", limit="200")
    item = find(items, shown)
    listed = without_clocks_and_ids(json.dumps(items))
    conversation = trainer.http.get(f"/api/v1/trainer/conversations/{customer.id}")
    assert conversation.status_code == 200
    assert shown in [m["text"] for m in conversation.json()["messages"]]
    transcript = without_clocks_and_ids(conversation.text)
    for secret in secrets:  # nowhere in the inbox or the transcript (the bot's replies too)
        assert secret not in listed and secret not in transcript, secret

    reveal = f"/api/v1/trainer/inbox/{item['id']}/reveal"
    reason = {"reason": "the placeholder hides which of two orders she meant"}
    assert customer.http.post(f"{product.gateway_url}{reveal}", json=reason,
                              headers=customer.headers).status_code == 401
    assert agent.http.post(reveal, json=reason).status_code == 403
    assert trainer.http.post(reveal, json=["x"]).status_code == 400
    assert trainer.http.post(reveal, json={}).status_code == 422
    short = trainer.http.post(reveal, json={"reason": "  because  "})
    assert short.status_code == 422 and "at least 10 characters" in short.json()["error"]["message"]
    assert trainer.http.post("/api/v1/trainer/inbox/99999999/reveal", json=reason).status_code == 404
    assert trainer.http.post("/api/v1/trainer/inbox/x1/reveal", json=reason).status_code == 404

    revealed = trainer.http.post(reveal, json=reason)
    assert revealed.status_code == 200, revealed.text
    assert revealed.json()["text"] == written
    assert revealed.headers["cache-control"] == "no-store"
    with session_factory(product.env["DATABASE_URL"])() as session:
        rows = session.scalars(select(TrainerReveal).where(
            TrainerReveal.tracker_event_id == item["id"])).all()
    assert [(r.revealed_by, r.reason, r.conversation_id) for r in rows] == [
        (trainer.user["id"], reason["reason"], customer.id)]
    assert find(inbox(trainer, filter="all", limit="200"), shown)  # still shown concealed

    # reveals are rate-limited per trainer, refused attempts included, beyond the staff
    # API's limit: six so far this minute
    answers = [trainer.http.post(reveal, json=reason) for _ in range(REVEALS_PER_MINUTE)]
    assert [a.status_code for a in answers] == [200] * (REVEALS_PER_MINUTE - 6) + [429] * 6
    assert int(answers[-1].headers["retry-after"]) > 0
    with session_factory(product.env["DATABASE_URL"])() as session:
        recorded = session.scalars(select(TrainerReveal).where(
            TrainerReveal.revealed_by == trainer.user["id"])).all()
    assert len(recorded) == 1 + REVEALS_PER_MINUTE - 6  # a refused reveal shows and records nothing
