"""The places a delivery question names (company/delivery_areas.py)."""

from __future__ import annotations

import pytest

from company.delivery_areas import (asks_about_a_missed_delivery, countries_of_cities,
                                    names_a_place)


@pytest.mark.parametrize("text, countries", [
    # a customer run: "how long to dublin" got the overview, as if no place were named
    ("how long to dublin", ["Ireland"]),
    ("how much is shipping to new york and paris", ["United States", "France"]),
    ("do you deliver in The Hague?", ["Netherlands"]),
    # alone, after another country's costs ("new york?" was not understood: a customer run)
    ("new york?", ["United States"]),
    # a word that is a city's name, not after a place's "to", "in" …: no place
    ("thats nice, thanks", []), ("nice and quick please", []), ("how long does delivery take", []),
])
def test_a_city_stands_for_its_country(text, countries):
    assert countries_of_cities(text) == countries


@pytest.mark.parametrize("words, place", [
    ("manchester", True), ("the Scottish Highlands", True), ("Dublin", True), ("jersey", True),
    ("new york", True), ("the canary islands", True), ("Tenerife", True), ("Réunion Island", True), ("family reunion", False), ("boil an egg", False), ("the moon", False), ("manchester by train", False), ("", False),
])
def test_the_name_of_a_place_a_delivery_question_asks_about(words, place):
    assert names_a_place(words) is place


@pytest.mark.parametrize("text, asks", [
    ("can it be left with a neighbour if im out?", True),
    ("safe place or neighbour delivery", True),
    ("what happens if nobody is home when the courier comes", True),
    ("i'll be at work all day, can you leave it in the porch? leave it with the concierge", True),
    ("it says delivered but my neighbour doesnt have it", False),
    ("how much is delivery to france", False),
])
def test_a_delivery_nobody_is_home_for(text, asks) -> None:
    assert asks_about_a_missed_delivery(text) is asks


@pytest.mark.parametrize("text, refusing", [
    ("ugh fine. can i just refuse the delivery then?", True), ("can i reject the parcel", True),
    ("i'll turn it away at the door", True), ("what if i don't accept it", True),
    ("my card was rejected", False), ("how long does delivery take", False),
    ("can i refuse delivery instead so it comes back to you?", True), ("can i refuse it at the door instead?", True),
    ("refused the parcel yesterday, where is my refund", True), ("what about refusing the delivery", True),
    # a review: someone else refusing, or the shop not accepting
    ("why did the driver refuse to deliver to my flat?", False), ("do you not accept PO box addresses?", False),
])
def test_refusing_a_delivery_in_words(text, refusing):
    from company.delivery_areas import asks_about_refusing_a_delivery

    assert asks_about_refusing_a_delivery(text) is refusing
