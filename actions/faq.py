"""Answers to frequent questions whose facts live in the company database."""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions import verification
from actions.company_db import company_session
from actions.help_centre import answer_with_passage_headed
from actions.sections_asked import heading_asked_for
from actions.phrasing import country_in_a_sentence, format_day, join_names, team_hours
from actions.plan_joining import (BENEFITS_START, asks_about_purchases_before_joining, tell_how_to_join,
                                  wants_to_join)
from actions.plan_changes import changes_a_plan, tell_how_to_change_a_plan
from actions.plan_endings import PLAN_ENDS_SECTION, asks_what_a_plan_ending_keeps, ends_a_plan, tell_how_to_end_a_plan
from actions.product_details import products_compared
from actions.leaning_questions import TURNS_BACK
from actions.order_deadlines import tell_last_order_days
from actions.topics import NOT_TOPIC_INTENTS
from actions.tracker_reading import (entity_values, latest_entities_text, message_intent, product_in_slot, slot_text,
                                     typed_text, words_asked)
from actions.returns import reason_to_return, tells_a_fault
from actions.warranty import FAULT_SLOT, order_warranty
from company import catalog
from company.identifiers import normalise_order_number
from company.policies import HOME_COUNTRY
from company.delivery_areas import (CUSTOMS_SECTION, FAR_TERRITORIES, MISSED_DELIVERY_SECTION, NOT_DELIVERED_TO,
                                    REFUSING_SECTION, REMOTE_UK, asks_about_a_missed_delivery, asks_about_customs,
                                    asks_about_delivery_too, asks_about_refusing_a_delivery, countries_of_cities)
from company.return_sending import RETURN_COLLECTION_SECTION, asks_about_a_return_collection
from company.delivery_days import asks_about_delivery_days, asks_about_next_day
from company.models import Plan, ShippingRate
from ground.calendar_days import days_named
from ground.clock import utcnow
from ground.settings import Settings
from handoff.team_hours import TeamHours, hours_phrases
from company.money import format_pence

# days answered from one message at most
MAX_DAYS_NAMED = 3


class ActionOpeningHours(Action):
    """When the support team is at work, from the SUPPORT_HOURS setting the queue follows."""

    def name(self) -> Text:
        return "action_opening_hours"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        settings = Settings.from_env()
        hours = TeamHours.parse(settings.support_hours, settings.support_timezone)
        dispatcher.utter_message(response="utter_opening_hours", **hours_phrases(hours))
        # a day named ("r u open xmas eve n boxing day" got the week's hours alone: a customer run)
        # (around the clock, the week's answer says it all)
        today = utcnow().date()
        named = [day for day in days_named(typed_text(tracker), today) if day != today] if hours else []
        for day in named[:MAX_DAYS_NAMED]:
            at_work = hours.hours_on(day)
            if at_work is None:
                dispatcher.utter_message(response="utter_team_away_on_day", day=format_day(day))
            else:
                dispatcher.utter_message(response="utter_team_at_work_on_day", day=format_day(day), hours=at_work)
        # and now: "are you open now?", "what time do you close today" got the week alone
        if hours is not None:
            now = utcnow()
            closes = hours.closing_time(now)
            if closes is not None:
                dispatcher.utter_message(response="utter_team_at_work_now", closes=closes)
            else:
                dispatcher.utter_message(response="utter_team_away_now", reopens=hours.reopening_phrase(now))
        return []


class ActionContactChannels(Action):
    """The ways to reach the team, with the phone line's hours from the same setting."""

    def name(self) -> Text:
        return "action_contact_channels"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        # "can i add a message too" after the gift wrap is no way of reaching us: a section
        # the words ask for (actions/sections_asked.py) answers first
        heading = heading_asked_for(typed_text(tracker))
        if heading is not None and answer_with_passage_headed(dispatcher, heading, tracker):
            return []
        dispatcher.utter_message(response="utter_contact_channels", **team_hours())
        return []


SHIPPING_ACTION = "action_shipping_info"


class ActionShippingInfo(Action):
    """Delivery times and costs for the country asked about, or an overview; the UK's remote
    areas and the places not delivered to, when they are named."""

    def name(self) -> Text:
        return SHIPPING_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = words_asked(tracker)
        if tell_last_order_days(dispatcher, tracker):
            return []  # "whats the last day to order for christmas delivery"
        if asks_about_a_return_collection(text) and answer_with_passage_headed(
                dispatcher, RETURN_COLLECTION_SECTION, tracker):
            return []
        if asks_about_a_missed_delivery(text) and answer_with_passage_headed(
                dispatcher, MISSED_DELIVERY_SECTION, tracker):
            return []
        if asks_about_refusing_a_delivery(text) and answer_with_passage_headed(dispatcher, REFUSING_SECTION, tracker):
            return []
        if asks_about_customs(text):
            # the rates too, for a delivery question beside the customs one
            if asks_about_delivery_too(text):
                self._answer(dispatcher, tracker, text)
            if answer_with_passage_headed(dispatcher, CUSTOMS_SECTION, tracker):
                return []
        self._answer(dispatcher, tracker, text)
        return []

    @staticmethod
    def _answer(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> None:
        # a city of a country delivered to stands for it ("how long to dublin" got the
        # overview: a customer run)
        named_countries = entity_values(tracker.latest_message, "country") or countries_of_cities(text)
        if not named_countries and (_THERE.search(text) or not (
                _ANY_PLACE.search(text) or _TO_A_PLACE.search(text) or asks_about_next_day(text)
                or asks_about_delivery_days(text))):
            # a delivery question naming no place, right after one that named a country, is that
            # country's ("how long does delivery take there" after the customs to the states,
            # and "how long does it take" after the US, got the UK's overview: customer runs)
            named_countries = [named for named in [_country_asked_before(tracker)] if named]
        country = named_countries[-1] if named_countries else None
        with company_session() as session:
            rates = catalog.shipping_rates(session)
            countries = join_names([country_in_a_sentence(rate.country_name) for rate in rates])
            uk = catalog.find_shipping_rate(session, HOME_COUNTRY)
            if NOT_DELIVERED_TO.search(text):
                dispatcher.utter_message(response="utter_shipping_places_not_served")
                return
            if FAR_TERRITORIES.search(text):
                dispatcher.utter_message(response="utter_shipping_far_territories_not_served")
                return
            if REMOTE_UK.search(text) and uk is not None:
                dispatcher.utter_message(
                    response="utter_shipping_remote_uk", uk_cost=format_pence(uk.standard_pence),
                    uk_free_over=format_pence(uk.free_over_pence or 0),
                    min_days=uk.min_days + 1, max_days=uk.max_days + 2)
                return
            if not country and asks_about_delivery_days(text):
                dispatcher.utter_message(response="utter_shipping_delivery_days")
                return
            if not country and asks_about_next_day(text) and uk is not None:
                _answer_next_day(dispatcher, session, uk, _country_asked_before(tracker))
                return
            if country:
                # every country named, each once ("how much to france and spain" answered Spain
                # alone: a customer run); those not delivered to in one answer
                first_told: Dict[str, str] = {}
                for name in named_countries:
                    first_told.setdefault(name.lower(), name)
                named = list(first_told.values())[:MAX_COUNTRIES]
                found = [(name, catalog.find_shipping_rate(session, name)) for name in named]
                # ("USA" and "the United States" are one answer)
                rates = {rate.country_code: rate for _, rate in found if rate is not None}
                for rate in rates.values():
                    if not rate.express_pence and asks_about_next_day(text):
                        # ("how much is express delivery to spain" got the standard delivery
                        # alone, express never mentioned: a customer run)
                        dispatcher.utter_message(response="utter_shipping_no_express",
                                                 country=country_in_a_sentence(rate.country_name))
                    dispatcher.utter_message(response="utter_shipping_country", **_rate_details(rate))
                # (as typed: "how long to portugal" got "we don't deliver to portugal")
                not_served = [name.title() if name.islower() else name for name, rate in found if rate is None]
                if not_served:
                    dispatcher.utter_message(response="utter_shipping_not_served",
                                             country=join_names(not_served), countries=countries)
                return
            if uk is None:
                return
            dispatcher.utter_message(
                response="utter_shipping_overview", countries=countries,
                uk_min_days=uk.min_days, uk_max_days=uk.max_days,
                uk_cost=format_pence(uk.standard_pence),
                uk_free_over=format_pence(uk.free_over_pence or 0),
                uk_express_cost=format_pence(uk.express_pence or 0),
            )


def _answer_next_day(dispatcher: CollectingDispatcher, session: Session, uk: ShippingRate,
                     country: Optional[str]) -> None:
    """Next-day delivery: the UK's, with the days it comes on; asked after the delivery to
    another country ("what about next day?" after Germany), that country's fastest delivery."""
    abroad = catalog.find_shipping_rate(session, country) if country else None
    if abroad is not None and abroad.country_code != uk.country_code:
        dispatcher.utter_message(response="utter_shipping_next_day_uk_only",
                                 country=country_in_a_sentence(abroad.country_name))
        dispatcher.utter_message(response="utter_shipping_country", **_rate_details(abroad))
        return
    dispatcher.utter_message(response="utter_shipping_next_day", uk_express_cost=format_pence(uk.express_pence or 0))


def _country_asked_before(tracker: Tracker) -> Optional[str]:
    """The country the customer's last request before the latest message named, when that
    request was a delivery question a few turns back at most. A country told on its own after
    a delivery answer is the last one asked about ("and ireland?" after France, then "is that
    free?", got France's answer), and a message the delivery lookup answered naming none is
    part of the delivery question ("how much is it" after "Do you deliver to Germany?", then
    "and express?", got the UK's next day): customer runs."""
    answered_by_delivery = False
    latest_seen = False
    asked = 0
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "session_started":
            return None
        if kind == "action" and event.get("name") == SHIPPING_ACTION:
            answered_by_delivery = True
        if kind != "user":
            continue
        if not latest_seen:
            latest_seen, answered_by_delivery = True, False
            continue
        asked += 1
        if asked > TURNS_BACK:
            return None
        intent = message_intent(event)
        countries = (entity_values(event.get("parse_data") or {}, "country")
                     or countries_of_cities(str(event.get("text") or "")))
        if countries and (intent == "ask_shipping" or answered_by_delivery or intent in NOT_TOPIC_INTENTS):
            return countries[-1]
        if intent not in NOT_TOPIC_INTENTS and not answered_by_delivery:
            return None
        answered_by_delivery = False
    return None


# a place named before: "how long does delivery take there"
_THERE = re.compile(r"\bthere\b|\bthat\s+country\b|\bthe\s+same\s+(?:place|country)\b", re.IGNORECASE)
# words of places in general, which ask the overview ("where else do you deliver")
_ANY_PLACE = re.compile(r"\b(?:abroad|countr(?:y|ies)|international\w*|overseas|worldwide|where|which|else|other"
                        r"|uk|here|home|europe\w*|eu)\b", re.IGNORECASE)
# ... and a place of its own ("how long to manchester" after Portugal is the UK's)
_TO_A_PLACE = re.compile(r"\b(?:to|in)\s+(?!(?:me|us|you|them|him|her|it|get|arrive|come|be|take|ship|deliver|reach"
                         r"|spend|pay|my|your|the\s+(?:door|house))\b)[a-z]", re.IGNORECASE)
# countries answered from one message at most: a list pasted in gets the overview's list
MAX_COUNTRIES = 4


def _rate_details(rate: ShippingRate) -> dict:
    free_over = (f" (free on orders over {format_pence(rate.free_over_pence)})"
                 if rate.free_over_pence else "")
    express = (f" Express delivery takes {rate.express_days} working day"
               f"{'s' if rate.express_days != 1 else ''} for {format_pence(rate.express_pence)}."
               if rate.express_pence and rate.express_days else "")
    return {"country": country_in_a_sentence(rate.country_name), "min_days": rate.min_days, "max_days": rate.max_days,
            "standard_cost": format_pence(rate.standard_pence), "free_over": free_over,
            "express": express}


class ActionListPlans(Action):
    """The Harbor Club plans; only those named ("the difference between plus and premium"),
    side by side, when the customer names some; how to end a plan, when that is the question."""

    def name(self) -> Text:
        return "action_list_plans"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        answer_plans(dispatcher, tracker)
        return []


def answer_plans(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The plans' answer to the latest message (ActionListPlans), also given by action_clarify
    to a plan joined in words it did not read as a topic ("ok sign me up for plus")."""
    named = {value.lower() for value in entity_values(tracker.latest_message, "plan")}
    with company_session() as session:
        plans = catalog.plans(session)
        if not plans:
            return
        trial_days = min(plan.trial_days for plan in plans)
        if ends_a_plan(typed_text(tracker)):
            tell_how_to_end_a_plan(dispatcher, session)
            return
        if changes_a_plan(typed_text(tracker)):
            tell_how_to_change_a_plan(dispatcher)
            return
        if asks_about_purchases_before_joining(typed_text(tracker)) and answer_with_passage_headed(
                dispatcher, BENEFITS_START, tracker):
            return
        asked = sorted((plan for plan in plans if plan.code in named),
                       key=lambda plan: plan.monthly_price_pence)
        if len(asked) == 1:
            plan = asked[0]
            dispatcher.utter_message(response="utter_plan_one", plan=plan.name, perks=plan.perks,
                                     price=format_pence(plan.monthly_price_pence),
                                     trial_days=plan.trial_days)
        elif len(asked) == 2 and asked[1].monthly_price_pence > asked[0].monthly_price_pence:
            cheaper, dearer = asked
            dispatcher.utter_message(
                response="utter_plans_compared_two", trial_days=trial_days,
                cheaper_line=_plan_line(cheaper), dearer_line=_plan_line(dearer),
                cheaper=cheaper.name, dearer=dearer.name,
                difference=format_pence(dearer.monthly_price_pence - cheaper.monthly_price_pence),
            )
        elif asked:
            dispatcher.utter_message(response="utter_plans_compared", trial_days=trial_days,
                                     plan_lines="; ".join(_plan_line(plan) for plan in asked))
        else:
            dispatcher.utter_message(
                response="utter_plans", plan_count=len(plans), trial_days=trial_days,
                plan_lines="; ".join(_plan_line(plan) for plan in plans),
            )
        if wants_to_join(typed_text(tracker)):
            tell_how_to_join(dispatcher, trial_days)


def _plan_line(plan: Plan) -> str:
    return f"{plan.name} at {format_pence(plan.monthly_price_pence)} a month ({plan.perks})"


class ActionFreeTrial(Action):
    def name(self) -> Text:
        return "action_free_trial"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        with company_session() as session:
            if ends_a_plan(typed_text(tracker)):
                # "how do i cancel harbor club, i didnt mean to sign up for the trial" got what
                # the trial is, and "yes but HOW do i cancel it" an order cancellation (a
                # customer run)
                tell_how_to_end_a_plan(dispatcher, session)
                return []
            plans = catalog.plans(session)
            if plans:
                dispatcher.utter_message(
                    response="utter_free_trial",
                    trial_days=min(plan.trial_days for plan in plans),
                    cheapest_price=format_pence(min(p.monthly_price_pence for p in plans)),
                )
        return []


# the plans named in a warranty question: the extra year is theirs
_MEMBERSHIP = re.compile(r"\b(?:join|joining|joined|member|membership|club|plus|premium|plan|extra\s+year)\b",
                         re.IGNORECASE)
# words that ask to claim on the warranty, not what it covers
_CLAIM = re.compile(r"\bclaim\b|\bmake\s+a\s+warranty\b|\buse\s+(?:the|my)\s+warranty\b", re.IGNORECASE)


def _claim_on_order(tracker: Tracker) -> Optional[str]:
    """The order a warranty claim is asked for in the latest message, if it names one."""
    named = verification.named_orders(tracker.latest_message)
    text = typed_text(tracker)
    return named[-1] if named and _CLAIM.search(text) else None


def _claim_without_an_order(tracker: Tracker) -> bool:
    """Whether the latest message asks to claim on the warranty without naming the order:
    "the left side of my Nimbus headphones has gone silent. I'd like to claim on the
    warranty" got what the warranty covers and "if yours has developed a fault, tell me", and
    "I literally just told you it has a fault." went to a person (a customer run)."""
    return bool(_CLAIM.search(typed_text(tracker))) and not verification.named_orders(tracker.latest_message)


def _return_check_of_the_proved_order(tracker: Tracker) -> List[EventType]:
    """The return check of the order this chat proved already, else of the one the customer
    named ("one side of my nimbus headphones has gone silent. order HG-100003", then "i want
    it fixed under warranty" asked for the order number: a customer run), else of one asked
    for."""
    proved = tracker.get_slot("verified_order")
    if verification.proved(tracker, proved):
        return verification.check_order_instead(proved, "return")
    return verification.check_order_instead(normalise_order_number(slot_text(tracker.get_slot("order_number"))),
                                            "return")


class ActionWarrantyInfo(Action):
    """The warranty of the product named (now or earlier in the chat), else of the products
    of the order the customer proved in this chat, else the general rule."""

    def name(self) -> Text:
        return "action_warranty_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if _claim_without_an_order(tracker):
            # the order it came in, proved (one the chat proved or named already is taken as it)
            events = _return_check_of_the_proved_order(tracker)
            named = next((e["value"] for e in events if e.get("name") == "order_number"), None)
            if named is None:
                dispatcher.utter_message(response="utter_warranty_claim_which_order")
            else:
                dispatcher.utter_message(response="utter_warranty_claim_order_check", order_number=named)
            return events
        if asks_what_a_plan_ending_keeps(typed_text(tracker)) and answer_with_passage_headed(
                dispatcher, PLAN_ENDS_SECTION, tracker):
            return []  # ("if i cancel plus do i lose the extra warranty year on stuff i already bought?")
        if (_MEMBERSHIP.search(typed_text(tracker)) and asks_about_purchases_before_joining(typed_text(tracker))
                and answer_with_passage_headed(dispatcher, BENEFITS_START, tracker)):
            return []  # ("does the extra year of warranty count for stuff I already bought before joining?")
        claimed = _claim_on_order(tracker)
        if claimed is not None:
            # "i want to make a warranty claim for HG-100004" got the general warranty text, and
            # the order number was forgotten: the claim goes through the order's return check
            # (a claim is offered once the return window has closed)
            dispatcher.utter_message(response="utter_warranty_claim_order_check", order_number=claimed)
            return verification.check_order_instead(claimed, "return")
        named = latest_entities_text(tracker, "product") or product_in_slot(tracker)
        with company_session() as session:
            compared = products_compared(tracker, session)
            if compared:
                dispatcher.utter_message(response="utter_warranty_products", warranties=join_names(
                    [f"the {each.name}'s is {each.warranty_months} months" for each in compared]))
                return []
            product = catalog.find_product(session, named)
            if product is not None:
                typed = typed_text(tracker)
                fault = reason_to_return(typed) if tells_a_fault(typed) else None
                if fault is not None and not verification.named_orders(tracker.latest_message):
                    # "does the toaster have a warranty? mine stopped working after 8 months" got
                    # "if yours has developed a fault, tell me" (a customer run): its order, with
                    # the fault kept as what to put right
                    dispatcher.utter_message(response="utter_warranty_product_fault_told",
                                             product=product.name, months=product.warranty_months)
                    return [SlotSet(FAULT_SLOT, fault), *_return_check_of_the_proved_order(tracker)]
                dispatcher.utter_message(response="utter_warranty_product",
                                         product=product.name, months=product.warranty_months)
                return []
            order = verification.verified_order(tracker, session)
            if order is not None and order_warranty(dispatcher, order):
                return []
            months = [p.warranty_months for p in catalog.products(session)]
            if months:
                dispatcher.utter_message(response="utter_warranty_general",
                                         min_months=min(months), max_months=max(months))
        return []
