"""What an order allows and what it costs: `action_cancellation_fees` (the rules for every
stage, or the way to one order's own answer) and `action_order_changes` (a verified order).

Both answers are built from company.policies' table of terms, line by line from domain
responses, so what the assistant says and what it lets a customer do cannot drift apart.
Asking what a cancellation costs never starts one.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.company_db import company_session
from actions.tracker_reading import latest_entity, response_text, slot_text, typed_text
from actions.phrasing import format_day
from actions.help_centre import answer_with_passage_headed
from actions.plan_endings import (PLAN_ENDS_SECTION, asks_what_a_plan_ending_keeps, cost_asked_after_a_plan_ending,
                                  tell_what_the_month_paid_becomes)
from company import policies
from ground.clock import utcnow
from company.identifiers import normalise_order_number
from company.models import Order
from company.money import format_pence
from company.policies import Change, ChangeTerms, Decision


def _fill(domain: DomainDict, response: str, **values: object) -> str:
    """The text of a domain response with its {placeholders} filled."""
    return response_text(domain, response).format(**values)


def _cost(domain: DomainDict, fee_pence: int) -> str:
    if fee_pence == 0:
        return response_text(domain, "utter_order_cost_free")
    return _fill(domain, "utter_order_cost_fee", fee=format_pence(fee_pence))


def _stages(domain: DomainDict, statuses: Sequence[str]) -> str:
    """'waiting to be packed or being packed'."""
    labels = [response_text(domain, f"utter_order_stage_{status}") for status in statuses]
    if len(labels) == 1:
        return labels[0]
    return _fill(domain, "utter_order_stages_or", stages=", ".join(labels[:-1]), last=labels[-1])


def overview_lines(domain: DomainDict) -> List[str]:
    """One line per change: in which stages it is allowed and what it costs."""
    lines = []
    for change in Change.ALL:
        label = response_text(domain, f"utter_order_change_{change}")
        stages = policies.stages_allowing(change)
        if not stages:
            never = f"utter_order_change_line_never_{change}"
            lines.append(_fill(domain, never if response_text(domain, never)
                               else "utter_order_change_line_never", change=label))
            continue
        terms = policies.change_terms(change, stages[0])
        cost = _cost(domain, terms.fee_pence)
        if terms.window_days is not None:
            lines.append(_fill(domain, "utter_order_change_line_within", change=label, cost=cost,
                               window_days=terms.window_days))
        else:
            lines.append(_fill(domain, "utter_order_change_line_while", change=label, cost=cost,
                               stages=_stages(domain, stages)))
    return lines


def _decision(change: str, order: Order) -> Decision:
    if change == Change.CANCEL:
        return policies.cancellation_decision(order)
    if change == Change.ADDRESS:
        return policies.address_change_decision(order)
    if change == Change.ITEMS:
        return policies.item_change_decision(order)
    return policies.return_decision(order, utcnow())


def _not_yet(change: str, status: str) -> Optional[ChangeTerms]:
    """The terms of `change` in a later stage of the order's way to the customer, if any:
    such a change is "not yet" rather than "not any more"."""
    if status not in policies.ON_THE_WAY:
        return None
    later = policies.ON_THE_WAY[policies.ON_THE_WAY.index(status) + 1:]
    return next((policies.change_terms(change, stage) for stage in later
                 if policies.change_terms(change, stage).allowed), None)


def order_lines(domain: DomainDict, order: Order) -> List[str]:
    """One line per change: whether this order allows it now, and what it costs."""
    lines = []
    allowed = set()
    for change in Change.ALL:
        label = response_text(domain, f"utter_order_change_{change}")
        terms = policies.change_terms(change, order.status)
        if _decision(change, order).allowed:
            allowed.add(change)
            cost = _cost(domain, terms.fee_pence)
            deadline = policies.return_deadline(order) if terms.window_days else None
            if deadline is not None:
                lines.append(_fill(domain, "utter_order_change_now_allowed_until", change=label,
                                   cost=cost, deadline=format_day(deadline)))
            else:
                lines.append(_fill(domain, "utter_order_change_now_allowed", change=label, cost=cost))
        elif not policies.stages_allowing(change):
            lines.append(_fill(domain, "utter_order_change_now_never", change=label))
        elif (later := _not_yet(change, order.status)) is not None:
            lines.append(_fill(domain, "utter_order_change_now_not_yet", change=label,
                               cost=_cost(domain, later.fee_pence),
                               window_days=later.window_days or policies.RETURN_WINDOW_DAYS))
        else:
            lines.append(_fill(domain, "utter_order_change_now_refused", change=label))
    if not policies.stages_allowing(Change.ITEMS):
        if Change.CANCEL in allowed:
            lines.append(response_text(domain, "utter_order_items_reorder"))
        elif Change.RETURN in allowed:
            lines.append(response_text(domain, "utter_order_items_return"))
    return lines


class ActionCancellationFees(Action):
    """The general answer, or, when the customer names an order (or already proved one in
    this conversation), the way to that order's own answer through order_form."""

    def name(self) -> Text:
        return "action_cancellation_fees"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if _asked_inside_a_change(tracker):
            # "actually wait does it cost anything to change it?" where the new address was
            # asked: the order lookup it went through replaced the address form, and the
            # address typed next was lost (a customer run). The order is proved: its answer
            # comes at once, and the form asks its question again.
            tell_order_changes(dispatcher, tracker, domain)
            return [SlotSet("changes_order_named", None), FollowupAction(str(tracker.active_loop["name"]))]
        if asks_what_a_plan_ending_keeps(typed_text(tracker)) and answer_with_passage_headed(
                dispatcher, PLAN_ENDS_SECTION, tracker):
            return [SlotSet("changes_order_named", False)]
        if cost_asked_after_a_plan_ending(tracker):
            with company_session() as session:
                tell_what_the_month_paid_becomes(dispatcher, session)
            return [SlotSet("changes_order_named", False)]
        if latest_entity(tracker, "order_number") or slot_text(tracker.get_slot("verified_order")):
            return [SlotSet("changes_order_named", True), SlotSet("order_task", "changes")]
        dispatcher.utter_message(response="utter_order_changes_overview",
                                 change_lines="\n".join(overview_lines(domain)))
        return [SlotSet("changes_order_named", False)]


class ActionOrderChanges(Action):
    """What the verified order allows in its current stage, and at what cost."""

    def name(self) -> Text:
        return "action_order_changes"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        tell_order_changes(dispatcher, tracker, domain)
        return [SlotSet("changes_order_named", None)]


def tell_order_changes(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> None:
    """What the verified order allows in its current stage, and at what cost (nothing said
    without a verified order)."""
    with company_session() as session:
        order = verification.verified_order(tracker, session)
        if order is not None:
            dispatcher.utter_message(
                response="utter_order_changes_for_order", order_number=order.number,
                stage=response_text(domain, f"utter_order_stage_{order.status}"),
                change_lines="\n".join(order_lines(domain, order)),
            )


def _asked_inside_a_change(tracker: Tracker) -> bool:
    """Whether the question comes inside a form of a change to the order already proved (the
    address, a return), about that order: no other order named."""
    loop = (tracker.active_loop or {}).get("name")
    verified = slot_text(tracker.get_slot("verified_order"))
    named = latest_entity(tracker, "order_number")
    return (bool(loop) and loop != "order_form" and bool(verified)
            and (named is None or normalise_order_number(str(named)) == verified))
