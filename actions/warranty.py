"""A fault past the return window: the warranty, and a claim handed to the product team.

A return refused because the window has closed (actions/returns.py) says what is still
under warranty, and until when (company.policies.warranty_cover: from the delivery day,
plus a Plus or Premium membership's extra months), and offers a claim (the slot
`warranty_claim_offered` marks the offer: the "yes" and "no" rules need it, so an "ok" to
any other refusal makes no claim). On "yes" `action_warranty_claim` opens the ticket, and
only then says the claim is passed on, handing the conversation to a person with the reason
`warranty_claim` (handoff.escalation decides the priority, handoff.routing sends it to the
product experts, who check the fault and arrange the free repair or replacement), with the
order, the products covered (only those the customer's words name, when they name one) and
the customer's own words about the fault, so that nobody asks again. An order that can
still be returned is pointed to the return instead, which refunds at once; a warranty that
has ended is said plainly.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.company_db import company_session, ticket_store
from actions.handoff import announce_taking_over, gather_context
from actions.phrasing import format_date, format_day, registered_return, team_hours
from actions.tracker_reading import message_intent, session_messages_newest_first, slot_text
from company import catalog, policies
from company.models import Order
from company.policies import Cover
from ground.clock import utcnow
from ground.settings import Settings
from handoff.escalation import TurnSignals, decide
from handoff.tickets import OpenedTicket, TicketError, TicketStore

# set by action_check_return when it offers a claim; the "yes" and "no" rules need it
OFFERED_SLOT = "warranty_claim_offered"
# the fault in the customer's words, told after a warranty answer (actions/returns.py)
FAULT_SLOT = "fault_reported"
# the messages that name the fault ("my toaster stopped working" reads as start_return);
# not `inform`, which is also how the order number and the postcode are given
FAULT_INTENTS = frozenset({"start_return", "ask_warranty", "complaint"})


# a refund or a new one wanted instead of a repair ("na i'd rather just get my money back",
# "i said i want a refund not a repair"): no fault told, and no yes to a claim
_REFUND_INSTEAD = re.compile(
    r"\b(?:refund|money\s+back|new\s+one|replacement|replace\s+it|not\s+a\s+repair"
    r"|(?:do\s*n[o']?t|dont)\s+want\s+(?:a\s+|it\s+)?repair\w*)\b", re.IGNORECASE)


def wants_a_refund_instead(text: str) -> bool:
    return _REFUND_INSTEAD.search(text) is not None


# nothing wrong with it, said where a claim was offered: "it works fine, i just dont want it
# anymore" and "its not broken, it just doesnt fit" each made a claim (a customer run: the
# words of a return's reason, "broken" among them, were taken for the fault)
_NO_FAULT = re.compile(
    r"\b(?:works?|working|worked)\s+(?:fine|perfectly|ok(?:ay)?|well|great|properly)\b"
    r"|\bnothing(?:'?s|\s+is)?\s+wrong\b|\bno\s+fault\b|\bthere'?s\s+no\s+fault\b"
    r"|\b(?:it'?s|its|it\s+is|they'?re|theyre|they\s+are)\s+(?:not|n'?t)\s+(?:broken|faulty|damaged|defective)\b"
    r"|\b(?:isn'?t|isnt|aren'?t|arent|wasn'?t|wasnt|not)\s+(?:broken|faulty|damaged|defective)\b"
    r"|\b(?:do\s*n[o']?t|dont|did\s*n[o']?t|didnt|no\s+longer)\s+(?:want|need|like)\s+(?:it|them)\b"
    r"|\b(?:does\s*n[o']?t|doesnt|did\s*n[o']?t|didnt)\s+fit\b|\bchanged\s+my\s+mind\b"
    r"|\btoo\s+(?:small|big|large|tight|short|long)\b|\bfound\s+it\s+cheaper\b", re.IGNORECASE)
# a fault told beside it ("nothing wrong with the box but the kettle leaks")
_FAULT = re.compile(
    r"\b(?:fault\w*|defect\w*|broke\w*|break(?:s|ing)?|damag\w*|crack\w*|chip+ed|smash\w*|shatter\w*|"
    r"leak\w*|burn\w*|smok\w*|spark\w*|rattl\w*|overheat\w*|dead|died|stopped|stops)\b"
    r"|(?:\bnot|n'?t)\s+(?:work|heat|charge|turn|switch|start)\w*", re.IGNORECASE)


def says_nothing_is_wrong(text: str) -> bool:
    """Whether the words say the product has no fault (it works, or it is not wanted), with no
    fault told beside that: no warranty claim is made on them."""
    if not _NO_FAULT.search(text):
        return False
    return _FAULT.search(_NO_FAULT.sub(" ", text)) is None


def covers_phrase(covers: Sequence[Cover], until: bool = True) -> str:
    """'the Ember Toaster (until 18 October 2028) and the Aurora Kettle (until …)', or the
    products alone."""
    parts = [f"the {cover.product}" + (f" (until {format_date(cover.last_day)})" if until else "")
             for cover in covers]
    return " and ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)


def split_covers(order: Order, today: date) -> tuple[List[Cover], List[Cover]]:
    """The order's products still under warranty today, and those whose warranty has ended."""
    covers = policies.warranty_cover(order)
    return [c for c in covers if c.covers(today)], [c for c in covers if not c.covers(today)]


def fault_described(tracker: Tracker) -> Optional[str]:
    """The customer's latest words about the fault in this session, if they said any."""
    told = slot_text(tracker.get_slot(FAULT_SLOT))
    if told:
        return told
    for event in session_messages_newest_first(tracker):
        text = (event.get("text") or "").strip()
        intent = message_intent(event)
        if text and not text.startswith("/") and intent in FAULT_INTENTS and not wants_a_refund_instead(text):
            return text
    reason = tracker.get_slot("return_reason")
    return str(reason) if reason else None


def _naming_words(product: str) -> set[str]:
    """The words that name a product in a fault: its model and its kind ("Atlas", "chair"),
    not a describing word between them ("office", "desk", "coffee")."""
    words = product.split()
    return catalog.name_words(" ".join({words[0], words[-1]}))


def named_covers(covers: Sequence[Cover], fault: Optional[str]) -> List[Cover]:
    """The covered products the customer's words name ("my toaster stopped working": the
    Ember Toaster), or all of them when the words name none."""
    said = catalog.name_words(fault or "")
    return [cover for cover in covers if said & _naming_words(cover.product)] or list(covers)


def order_warranty(dispatcher: CollectingDispatcher, order: Order) -> bool:
    """Says until when the order's products are under warranty, or that it has ended;
    False for an order no warranty applies to yet (not delivered) or any more."""
    covered, ended = split_covers(order, utcnow().date())
    if covered:
        dispatcher.utter_message(response="utter_warranty_order_covered", order_number=order.number,
                                 products=covers_phrase(covered))
    elif ended:
        dispatcher.utter_message(response="utter_warranty_ended", order_number=order.number,
                                 products=covers_phrase(ended))
    return bool(covered or ended)


class ActionWarrantyClaim(Action):
    def name(self) -> Text:
        return "action_warranty_claim"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        done: List[EventType] = [SlotSet(OFFERED_SLOT, False)]
        now = utcnow()
        with company_session() as session:
            order = verification.verified_order(tracker, session)
            if order is None:
                return done
            number = order.number
            if policies.return_decision(order, now).allowed:
                deadline = policies.return_deadline(order)
                dispatcher.utter_message(response="utter_warranty_return_instead",
                                         order_number=number,
                                         deadline=format_day(deadline) if deadline else "")
                return done
            if order.returns:  # its return is under way or done: no claim on top of it
                dispatcher.utter_message(response="utter_return_already_registered",
                                         order_number=number, **registered_return(order))
                return done
            covered, ended = split_covers(order, now.date())
            if not covered:
                if ended:
                    dispatcher.utter_message(response="utter_warranty_ended", order_number=number,
                                             products=covers_phrase(ended))
                else:
                    dispatcher.utter_message(
                        response="utter_warranty_not_delivered" if order.status in policies.ON_THE_WAY
                        else "utter_warranty_order_closed", order_number=number)
                return done
            delivered = order.shipment.delivered_at if order.shipment else None
            fault = fault_described(tracker)
            named = named_covers(covered + ended, fault)
            claimed = [cover for cover in named if cover in covered]
            if not claimed:  # the product named is out of its warranty; others are not
                dispatcher.utter_message(response="utter_warranty_ended", order_number=number,
                                         products=covers_phrase(named))
                return done
            facts: Dict[str, Any] = {
                "order_number": number,
                "delivered": delivered.date().isoformat() if delivered else None,
                "claimed": [c.product for c in claimed],
                "covered": [{"product": c.product, "last_day": c.last_day.isoformat()} for c in covered],
                "ended": [{"product": c.product, "last_day": c.last_day.isoformat()} for c in ended],
                "fault": fault,
            }
            vip = bool(order.customer.is_vip)
        opened = self._open_ticket(tracker, facts, covers_phrase(claimed), vip)
        done.append(SlotSet(FAULT_SLOT, None))  # told with the claim; a return instead keeps it
        if opened is None:
            dispatcher.utter_message(response="utter_warranty_claim_by_contact", order_number=number)
            dispatcher.utter_message(response="utter_human_contact", **team_hours())
            return done
        store, ticket = opened
        dispatcher.utter_message(response="utter_warranty_claim_made", order_number=number,
                                 products=covers_phrase(claimed, until=False))
        announce_taking_over(dispatcher, store, ticket, Settings.from_env())
        return done + [SlotSet("handoff_ticket", str(ticket.id))]

    @staticmethod
    def _open_ticket(tracker: Tracker, facts: Dict[str, Any], products: str,
                     vip: bool) -> Optional[Tuple[TicketStore, OpenedTicket]]:
        """The ticket the product team works the claim from; None outside the gateway (rasa
        shell), where there is no conversation to hand over."""
        decision = decide(TurnSignals(warranty_claim=True, vip=vip))
        customer_id, context = gather_context(tracker)
        context["decision"] = decision.to_json()
        context["warranty_claim"] = facts
        fault = f'The customer said: "{facts["fault"]}".' if facts["fault"] else \
            "The customer has not described the fault yet."
        summary = (f"Warranty claim for {products} from order {facts['order_number']} "
                   f"(delivered {facts['delivered']}, past the {policies.RETURN_WINDOW_DAYS}-day "
                   f"return window). {fault} Ask for a photo or video of the fault, then send a "
                   "free returns label or arrange a collection for the repair or replacement.")
        store = ticket_store()
        try:
            return store, store.open(tracker.sender_id, decision, context, summary, customer_id)
        except TicketError:
            return None


class ActionDeclineWarrantyClaim(Action):
    """"No" to the claim offered: nothing is made, and the offer is over."""

    def name(self) -> Text:
        return "action_decline_warranty_claim"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_warranty_claim_not_made")
        return [SlotSet(OFFERED_SLOT, False)]
