"""Changing the delivery address of an order that has not shipped yet."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.company_db import company_session
from actions.declinable_form import DeclinableForm
from actions.read_backs import keeps_it_as_it_was, plain_no
from actions.tracker_reading import (latest_entity, message_intent, response_text, session_messages_newest_first,
                                     slot_text, typed_text)
from actions.orders import explain_refusal
from actions.phrasing import country_in_a_sentence, join_names
from company import orders as order_service
from company import catalog, policies
from company.addresses import (Address, address_answer, address_in_request, corrected_address, corrects_the_read_back,
                               parse_address)
from company.delivery_areas import country_of_an_address, delivered_to
from ground.clock import utcnow

_FORM_SLOTS = ("new_address", "address_confirmed")
def _address_told(tracker: Tracker) -> Optional[Address]:
    """The new address the customer's request to change it already gave (the latest such
    request of the session): the form then only asks to confirm it."""
    for event in session_messages_newest_first(tracker):
        intent = message_intent(event)
        if intent in ("change_address", "correct_need"):  # "can you change it to 5 Park Row, …"
            return address_in_request(str(event.get("text") or ""))
    return None


class ActionCheckAddressChange(Action):
    """Opens the address form when the order has not shipped, explains otherwise."""

    def name(self) -> Text:
        return "action_check_address_change"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        cleared = [SlotSet(slot, None) for slot in _FORM_SLOTS]
        with company_session() as session:
            order = verification.verified_order(tracker, session)
            if order is None:
                return [SlotSet("address_change_allowed", False), *cleared]
            if not policies.address_change_decision(order).allowed:
                explain_refusal(dispatcher, "address", order)
                return [SlotSet("address_change_allowed", False), *cleared]
        # an address told with the request is not asked for again, only confirmed; one the
        # shop does not deliver to is refused, and a new one asked for
        told = _address_told(tracker)
        if told is not None and not delivered_to(told):
            dispatcher.utter_message(response="utter_address_not_delivered")
            told = None
        return [SlotSet("address_change_allowed", True), *cleared,
                SlotSet("new_address", told.one_line() if told else None)]


class ValidateAddressForm(DeclinableForm):
    """Accepts a new address only when it has a street line, a town and a UK postcode; "no
    i dont want to change the address" there ends the change (action_change_address says
    the address stays)."""

    confirmation_slot = "address_confirmed"
    asked_slot = "new_address"

    def name(self) -> Text:
        return "validate_address_form"

    def gives_up(self, text: str) -> bool:
        # an address in the words is an answer ("14 Mill Lane, Leeds, LS6 2QT, if no one is in
        # just leave it", "same address but flat 3 not flat 2, …")
        return keeps_it_as_it_was(text) and address_answer(text) is None

    def answers(self, text: str) -> bool:
        return address_answer(text) is not None

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
    ) -> List[EventType]:
        """Where the address read back is to be confirmed, a correction of it ("sorry typo,
        it's 30 Hyde Park Road") becomes the new address, to be confirmed in its turn. It fell
        back before, and the next "yes" sent the parcel to the address the customer had
        corrected."""
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        if tracker.get_slot("requested_slot") == "new_address":
            told = any(event.get("name") == "new_address" for event in events)
            return events + ([] if told else self._address_beside_another_topic(tracker))
        if tracker.get_slot("requested_slot") != "address_confirmed":
            return events
        if self.gives_up(typed_text(tracker)):
            # "dont change it" at the read back fell back, and a "yes" to the clarification
            # that followed sent the parcel to the new address (2 of 2 in a customer run)
            tracker.slots["address_confirmed"] = False
            return events + [SlotSet("address_confirmed", False)]
        proposed = parse_address(slot_text(tracker.get_slot("new_address")))
        corrected = corrected_address(proposed, typed_text(tracker)) if proposed else None
        if corrected is None and corrects_the_read_back(typed_text(tracker)):
            # a correction that cannot be read into an address: the whole address is asked
            # again, and the one read back is never confirmed by the next "yes"
            dispatcher.utter_message(response="utter_address_ask_again")
            tracker.slots["address_confirmed"] = tracker.slots["new_address"] = None
            return events + [SlotSet("new_address", None), SlotSet("address_confirmed", None)]
        if corrected is None or corrected == proposed:
            return events
        tracker.slots["address_confirmed"] = None
        return events + [SlotSet("new_address", corrected.one_line()),
                         SlotSet("address_confirmed", None)]

    @staticmethod
    def _address_beside_another_topic(tracker: Tracker) -> List[EventType]:
        """A full address typed where it is asked is the answer, whatever else the message
        says: "5 High Street, Oxford, OX1 4AH. will it still arrive by friday?" was read as an
        order question (which the slot's mapping leaves out), and the address was dropped
        without a word."""
        text = typed_text(tracker)
        if "new_address" in tracker.slots_to_validate() or address_answer(text) is None:
            return []
        tracker.slots["new_address"] = text
        return [SlotSet("new_address", text)]

    def validate_new_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value is None:
            return {"new_address": None}  # emptied to be asked again (a correction read back)
        address = address_answer(slot_text(value))
        if address is None and not typed_text(tracker):
            # nothing typed: the change gone on with after leaving the queue said "I couldn't
            # read that as a full UK address" before the address was ever asked
            return {"new_address": None}
        if address is None:
            dispatcher.utter_message(**_why_no_address(latest_entity(tracker, "country")
                                                       or country_of_an_address(typed_text(tracker))))
            return {"new_address": None}
        if not delivered_to(address):
            dispatcher.utter_message(response="utter_address_not_delivered")
            return {"new_address": None}
        return {"new_address": address.one_line()}

    def validate_address_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        pressed_no = (tracker.latest_message.get("text") or "").strip() == "/deny"
        read_back = tracker.get_slot("requested_slot") == "address_confirmed"
        if value is False and read_back and (pressed_no or plain_no(typed_text(tracker))):
            # a plain "no" to the address read back: the right one is asked for, and "leave it"
            # keeps the old one (the form ended before, and the corrected address typed next
            # got "What would you like me to help with?")
            dispatcher.utter_message(response="utter_address_ask_again")
            return {"address_confirmed": None, "new_address": None}
        # None: a correction of the address above, to be confirmed in its turn
        return {"address_confirmed": None if value is None else bool(value)}


def _why_no_address(country: Optional[str]) -> Dict[str, Any]:
    """What to tell a customer whose answer is no UK address: "12 Rose Lane, Dublin D02 X285,
    Ireland" was told it was no full UK address, as if it could be."""
    if country:
        with company_session() as session:
            rate = catalog.find_shipping_rate(session, country)
            code = rate.country_code if rate is not None else None
            countries = join_names([country_in_a_sentence(served.country_name)
                                    for served in catalog.shipping_rates(session)])
        if code is None:
            return {"response": "utter_shipping_not_served", "country": country, "countries": countries}
        if code != policies.HOME_COUNTRY:
            return {"response": "utter_address_abroad", "country": country}
    return {"response": "utter_address_invalid"}


# how long an address can still be changed ("how long have i got to change it before it ships?")
_HOW_LONG_IT_CAN_CHANGE = re.compile(
    r"\bhow\s+(?:long|much\s+time)\s+(?:have|do|'?ve)\s+i\s+(?:got|have|get)\b|\b(?:until|till|til|by)\s+when\b"
    r"|\bhow\s+late\s+can\b|\bdeadline\b|\bcut-?\s*off\b|\bbefore\s+it\s+(?:ships|leaves|goes\s+out|is\s+sent)\b",
    re.IGNORECASE)


def asks_how_long_it_can_change(text: str) -> bool:
    """Whether the words ask until when the delivery address can still be changed."""
    return _HOW_LONG_IT_CAN_CHANGE.search(text or "") is not None


class ActionChangeAddress(Action):
    """Writes the confirmed new address onto the order."""

    def name(self) -> Text:
        return "action_change_address"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        done = [SlotSet("address_change_allowed", None), *(SlotSet(s, None) for s in _FORM_SLOTS)]
        named = verification.order_named_instead(tracker)
        if named:
            dispatcher.utter_message(response="utter_order_switched",
                                     order_number=slot_text(tracker.get_slot("verified_order")))
            return done + verification.check_order_instead(named, "change_address")
        address = parse_address(slot_text(tracker.get_slot("new_address")))
        with company_session() as session:
            order = verification.verified_order(tracker, session)
            if order is None:
                return done
            if address is None or not tracker.get_slot("address_confirmed"):
                dispatcher.utter_message(response="utter_address_unchanged",
                                         order_number=order.number)
                if asks_how_long_it_can_change(typed_text(tracker)) and policies.address_change_decision(order).allowed:
                    # "leave it for now. how long have i got to change it before it ships?"
                    # went to a person (a customer run): until it leaves the warehouse
                    dispatcher.utter_message(response="utter_address_change_until", order_number=order.number,
                                             stage=response_text(domain, f"utter_order_stage_{order.status}"))
                return done
            try:
                order_service.change_delivery_address(session, order, address, utcnow())
            except order_service.NotAllowed as refused:
                if refused.reason == order_service.NOT_DELIVERED:
                    dispatcher.utter_message(response="utter_address_not_delivered")
                else:
                    explain_refusal(dispatcher, "address", order)
            else:
                dispatcher.utter_message(response="utter_address_changed",
                                         order_number=order.number,
                                         new_address=address.one_line())
        return done
