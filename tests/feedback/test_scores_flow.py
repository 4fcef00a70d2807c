"""Scores only when asked, through the running product: a web customer who types numbers
with no question asked gets an honest answer, and no NPS answer, rating or ticket is
recorded; after the day-30 NPS question (sent by the gateway's own worker) a "0" typed
twice is one answer."""

from __future__ import annotations

import uuid

import pytest

from tests.feedback.test_aftercare_flow import (its_day_comes, query, resolved_case, wait_for_bot,
                                                wait_for_status)
from tests.product import CustomerClient, RunningProcess, StaffClient

NOT_ASKED = "I only take a score when I've just asked for one"


@pytest.fixture
def agent(product: RunningProcess) -> StaffClient:
    return StaffClient.admin(product.gateway_url).add(f"noa-{uuid.uuid4().hex[:6]}", "agent")


def recorded(product: RunningProcess, conversation: str) -> dict:
    """What the conversation has in the database: NPS answers, ratings, tickets, its state."""
    counts = {table: query(product, f"SELECT count(*) AS n FROM {table} WHERE conversation_id = :c",
                           c=conversation)[0]["n"]
              for table in ("nps_responses", "ratings", "tickets")}
    counts["state"] = query(product, "SELECT state FROM conversations WHERE id = :c",
                            c=conversation)[0]["state"]
    return counts


def test_zero_typed_five_times_unasked_records_nothing(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    for _ in range(5):
        assert NOT_ASKED in customer.say("0")
    for low in ("1", "2"):
        assert NOT_ASKED in customer.say(low)
    # every reply above came after the actions had run: nothing is still on its way
    assert recorded(product, customer.id) == {"nps_responses": 0, "ratings": 0, "tickets": 0,
                                              "state": "bot"}


def test_after_the_nps_question_zero_twice_is_one_answer(product: RunningProcess,
                                                         agent: StaffClient) -> None:
    customer, ticket = resolved_case(product, agent)
    its_day_comes(product, ticket, "nps")
    wait_for_bot(customer, "how likely are you to recommend Harbor Goods")
    wait_for_status(product, ticket, "nps", "sent")
    assert "haven't earned a higher score" in customer.say("0")
    assert NOT_ASKED in customer.say("0")
    assert query(product, "SELECT score FROM nps_responses WHERE conversation_id = :c",
                 c=customer.id) == [{"score": 0}]
    assert recorded(product, customer.id)["tickets"] == 1  # the resolved case only
