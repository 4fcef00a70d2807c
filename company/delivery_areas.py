"""Where the shop delivers (company/help_articles/delivery-areas.md): UK places with standard
delivery only, a day or two longer, and places it does not deliver to at all. The answer to
"do you deliver to Jersey?" reads the place names; a new delivery address is judged by its
postcode and by what is no street (`delivered_to`): an address change to "12 La Route de St
Aubin, St Helier, Jersey JE2 3AB" or to a PO box was saved, while the assistant itself said
the shop does not deliver there."""

from __future__ import annotations

import re
from typing import Iterable, List, Optional

from company.addresses import Address

REMOTE_UK = re.compile(
    r"\b(?:northern\s+ireland|n\.?\s*ireland|(?-i:NI)|belfast|(?:scottish\s+)?highlands|inverness|scottish\s+islands"
    r"|hebrides|orkney|shetland|isle\s+of\s+man|(?:isles\s+of\s+)?scilly|isle\s+of\s+skye)\b", re.IGNORECASE)
NOT_DELIVERED_TO = re.compile(
    r"\b(?:channel\s+islands?|(?<!new\s)jersey|guernsey|alderney|sark|bfpo|forces\s+address\w*"
    r"|p\.?\s*o\.?\s+box(?:es)?|parcel\s+lockers?|parcel\s*shops?|pick\s*-?\s*up\s+points?)\b", re.IGNORECASE)
# places abroad that belong to a country delivered to but lie outside the EU's customs area
# ("and to the canary islands?" after Spain got the Scottish islands: a customer run)
FAR_TERRITORIES = re.compile(
    r"\b(?:canary\s+islands?|(?:the\s+)?canaries|tenerife|gran\s+canaria|lanzarote|fuerteventura|ceuta|melilla"
    r"|(?:la\s+)?r[ée]union\s+island|la\s+r[ée]union|guadeloupe|martinique|french\s+guiana|mayotte|french\s+overseas\s+\w+)\b", re.IGNORECASE)
# customs and import charges, which the help centre's delivery article answers
# ("are there customs charges for the usa?" got the delivery rates to the US: a customer run)
CUSTOMS = re.compile(
    r"\b(?:customs|import\s+(?:duty|duties|tax|taxes|vat|charges?|fees?)|(?<!heavy\s)(?<!heavy-)(?<!light\s)(?<!light-)dut(?:y|ies)|tariffs?)\b",
    re.IGNORECASE)
# the section that answers them (company/help_articles/delivery-areas.md)
CUSTOMS_SECTION = ("customs",)
# a delivery question beside them: "what about france? and are there customs fees"
_DELIVERY_ASKED = re.compile(
    r"\b(?:what|how)\s+about\b|\bdeliver(?:y|ies|ed|s)?\b|\bship(?:ping|ped|s)?\b|\bpostage\b|\bhow\s+long\b",
    re.IGNORECASE)


def _any_of(names: Iterable[str]) -> str:
    """A regex alternation of the names, escaped, the longest first (so "new york" is not
    read as "york")."""
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


# the main cities of the countries delivered to abroad, which customers name instead of the
# country ("how long to dublin"); a UK city needs none (the answer's default is the UK's)
_CITIES = {
    "dublin": "Ireland", "cork": "Ireland", "galway": "Ireland", "limerick": "Ireland",
    "paris": "France", "lyon": "France", "marseille": "France", "nice": "France", "bordeaux": "France",
    "berlin": "Germany", "munich": "Germany", "hamburg": "Germany", "frankfurt": "Germany",
    "cologne": "Germany", "amsterdam": "Netherlands", "rotterdam": "Netherlands", "utrecht": "Netherlands",
    "the hague": "Netherlands", "brussels": "Belgium", "antwerp": "Belgium", "ghent": "Belgium",
    "madrid": "Spain", "barcelona": "Spain", "valencia": "Spain", "seville": "Spain", "malaga": "Spain",
    "rome": "Italy", "milan": "Italy", "naples": "Italy", "florence": "Italy", "venice": "Italy",
    "turin": "Italy", "new york": "United States", "los angeles": "United States", "chicago": "United States",
    "san francisco": "United States", "boston": "United States", "miami": "United States",
}
# (a city named after "nice" as a word, "that's nice", is no place: only after to, in, from,
# or alone at the start: "new york?" after the delivery costs to Germany)
_CITY_NAMED = re.compile(
    r"\b(?:to|in|into|from|for|and|or)\s+(" + _any_of(_CITIES) + r")\b|^\W*("
    + _any_of(_CITIES.keys() - {"nice"}) + r")\b", re.IGNORECASE)


# the UK's largest towns and cities, which a delivery question names as its place ("how long
# to manchester"); the answer for them is the UK's
_UK_CITIES = frozenset({
    "london", "manchester", "birmingham", "leeds", "glasgow", "edinburgh", "liverpool", "bristol", "cardiff",
    "sheffield", "newcastle", "nottingham", "leicester", "brighton", "oxford", "cambridge", "york", "aberdeen",
    "southampton", "coventry", "bradford", "swansea", "plymouth", "reading", "norwich", "exeter", "bath",
    "dundee", "derby", "hull", "stoke", "wolverhampton", "sunderland", "portsmouth", "milton keynes",
})


# names that are words too ("nice", "reading", "bath"), a place only after "to" or "in"
_PLACES_THAT_ARE_WORDS = frozenset({"nice", "reading", "bath", "hull"})
# a place a delivery question names, wherever it is in the words
PLACE_NAMED = re.compile(
    r"\b(?:" + _any_of((_CITIES.keys() | _UK_CITIES) - _PLACES_THAT_ARE_WORDS)
    + r")\b|\b(?:to|in)\s+(?:" + _any_of(_PLACES_THAT_ARE_WORDS) + r")\b"
    + "|" + REMOTE_UK.pattern + "|" + NOT_DELIVERED_TO.pattern + "|" + FAR_TERRITORIES.pattern, re.IGNORECASE)


def names_a_place(words: str) -> bool:
    """Whether the words are the name of a place a delivery question can be about, and
    nothing else ("manchester", "the scottish highlands", "dublin", "jersey", "the canaries"): a
    UK city or region, a place not delivered to, or a city abroad that stands for its country. A country's
    name is the NLU's entity, not this."""
    place = re.sub(r"^\s*the\s+", "", words or "", flags=re.IGNORECASE).strip(" .'").lower()
    return bool(place) and (place in _UK_CITIES or place in _CITIES
                            or any(pattern.fullmatch(place) for pattern in (REMOTE_UK, NOT_DELIVERED_TO, FAR_TERRITORIES)))


def countries_of_cities(text: str) -> List[str]:
    """The countries of the cities a delivery question names after "to", "in" …, in order."""
    return [_CITIES[(found.group(1) or found.group(2)).lower()] for found in _CITY_NAMED.finditer(text or "")]


# a city of a country delivered to abroad anywhere in an address ("5 Harcourt Street, Dublin 2,
# D02 XY45"), or an Irish Eircode
_CITY_IN_AN_ADDRESS = re.compile(r"\b(" + _any_of(_CITIES.keys() - {"nice"}) + r")\b", re.IGNORECASE)
_EIRCODE = re.compile(r"\b[AC-FHKNPRTV-Y]\d{2}\s?[0-9AC-FHKNPRTV-Y]{4}\b", re.IGNORECASE)


def country_of_an_address(text: str) -> Optional[str]:
    """The country abroad an address is in, by its city or its Eircode; None for any other
    (the UK's, or one not read): "5 Harcourt Street, Dublin 2, D02 XY45" was told it was no
    full UK address, again and again, and never that only UK addresses can be changed here (a
    customer run)."""
    found = _CITY_IN_AN_ADDRESS.search(text or "")
    if found is not None:
        return _CITIES[found.group(1).lower()]
    return "Ireland" if _EIRCODE.search(text or "") else None


# a delivery the customer will not be at home for: a neighbour, a safe place, another try
# ("can it be left with a neighbour if im out?" fell back, and "safe place or neighbour
# delivery", a delivery question to the model, got the delivery costs: a customer run); not a
# parcel said delivered or missing, which is no question of where it may be left
_MISSED_DELIVERY = re.compile(
    r"\bneighbou?rs?\b|\bsafe\s*place\b|\b(?:not|won'?t\s+be|wont\s+be|will\s+not\s+be)\s+(?:at\s+)?home\b"
    r"|\b(?:i'?m|im|i\s+am|i'?ll\s+be|ill\s+be|we'?re|we'?ll\s+be)\s+(?:out|away|at\s+work|not\s+(?:in|home|there))\b"
    r"|\b(?:nobody|no\s*one|noone)\s+(?:is\s+|will\s+be\s+)?(?:home|in)\b|\bleave\s+it\s+(?:with|at|in|outside|on|behind|by)\b"
    r"|\bmissed\s+(?:the\s+|my\s+)?(?:delivery|courier|parcel)\b|\bredeliver\w*", re.IGNORECASE)
_SAID_ARRIVED_OR_LOST = re.compile(r"\b(?:delivered|received|missing|stolen|lost|never\s+(?:came|arrived|got))\b",
                                   re.IGNORECASE)
# the section that answers it (company/help_articles/delivery-areas.md)
MISSED_DELIVERY_SECTION = ("neighbour",)


def asks_about_a_missed_delivery(text: str) -> bool:
    """Whether the words ask what happens to a delivery nobody is at home for."""
    return _MISSED_DELIVERY.search(text or "") is not None and _SAID_ARRIVED_OR_LOST.search(text or "") is None


# refusing the parcel at the door, which the refunds article's section tells how to do
# (company/help_articles/refunds.md): "can i just refuse the delivery then?" after a shipped
# order's cancellation was refused got the delivery times and costs (a customer run)
_REFUSING = re.compile(
    r"\b(?:i|we|can\s+i|could\s+i|if\s+i|i'?ll|ill|i\s+will|i'?d|i\s+would|i\s+just)\s+(?:\w+\s+){0,2}?"
    r"(?:refuse|reject\s+(?:the|it|them|delivery|parcel|package)|(?:do\s*n'?t|do\s+not|not)\s+accept"
    r"|turn\s+(?:it\s+|them\s+)?away|send\s+(?:it|them)\s+back\s+with\s+the\s+(?:courier|driver))\b"
    r"|^\W*(?:i\s+)?refused\s+(?:the\s+|it\b|delivery|parcel)|\brefusing\s+(?:the\s+|it\b|delivery|a\s+delivery)"
    r"|\b(?:refuse|reject)\s+(?:it|them|the\s+\w+)\s+at\s+the\s+door\b",
    re.IGNORECASE)
REFUSING_SECTION = ("refusing", "delivery")


def asks_about_refusing_a_delivery(text: str) -> bool:
    """Whether the words ask about refusing the parcel (or say the customer would)."""
    return _REFUSING.search(text or "") is not None


def asks_about_customs(text: str) -> bool:
    """Whether the words ask about customs or import charges."""
    return CUSTOMS.search(text or "") is not None


def asks_about_delivery_too(text: str) -> bool:
    """Whether words that ask about customs ask about the delivery itself as well."""
    return _DELIVERY_ASKED.search(CUSTOMS.sub(" ", text or "")) is not None


# the Channel Islands' postcode areas: Jersey and Guernsey (with Alderney and Sark); in an
# address the places are told by the postcode, not by words ("14 Jersey Road, London E11 4AA"
# and "5 Alderney Street, London SW1V 4ES" are London streets, refused by the place names)
# and BF1, the postcode of forces (BFPO) addresses
_NOT_DELIVERED_POSTCODE = re.compile(r"^(?:JE|GY)\d|^BF1\b", re.IGNORECASE)
# what no street address is: PO boxes however written, lockers and parcel shops, forces addresses
_NO_STREET = re.compile(
    r"\b(?:p\.?\s*o\.?\s*box(?:es)?|post\s+office\s+box|bfpo|forces\s+address\w*|lockers?"
    r"|parcel\s*shops?|(?:pick\s*-?\s*up|collection|customer\s+service|drop\s*-?\s*off)\s+points?)\b",
    re.IGNORECASE)


def delivered_to(address: Address) -> bool:
    """Whether the shop delivers to this address."""
    if _NOT_DELIVERED_POSTCODE.match(address.postcode):
        return False
    return _NO_STREET.search(f"{address.line}, {address.city}") is None
