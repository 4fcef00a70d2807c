"""No shop to visit (company/help_articles/shops-and-collection.md): Harbor Goods sells online
only. "where is your nearest shop, im in bristol" was out of scope to the model and got "that's
not something I can help with", and "ugh ive been on your website 20 mins and cant find if you
do click and collect. do you or not??" fell back twice and went to a person (a customer run);
the help centre's section answers both."""

from __future__ import annotations

import re

_PLACE = r"(?:shop|store|branch|showroom|outlet)s?"
_VISIT = re.compile(
    rf"\b(?:nearest|closest|local|physical|high\s+street|real)\s+{_PLACE}\b"
    rf"|\b(?:do\s+(?:you|u)\s+have|have\s+(?:you|u)\s+got|is\s+there|are\s+there|got)\s+(?:a|an|any)\s+(?:\w+\s+)?{_PLACE}\b"
    rf"|\bwhere\s+(?:is|are|r)\s+(?:your|ur|the)\s+{_PLACE}\b|\b(?:your|ur)\s+{_PLACE}\s+(?:in|near|nr)\b"
    rf"|\b(?:visit|come\s+(?:in|into|to)|pop\s+(?:in|into))\s+(?:your|ur|a|the)\s+{_PLACE}\b"
    r"|\bclick\s*(?:and|&|n|'n')\s*collect\b|\b(?:collect|pick)\s+(?:it\s+|them\s+|my\s+order\s+)?(?:up\s+)?in[\s-]*store\b"
    r"|\bin[\s-]*store\s+(?:pick\s*-?\s*up|collection)\b", re.IGNORECASE)
# the words of the help centre's heading that answers it
ONLINE_ONLY_SECTION = ("online", "only")


def asks_about_a_shop_to_visit(text: str) -> bool:
    """Whether the words ask about a shop to go to or to collect from."""
    return _VISIT.search(text or "") is not None


# bought in a shop, or from another seller: "i bought it in a shop actually, dont have an order
# number" was asked for the order number, twice (a customer run); the shop sells online only
_BOUGHT_ELSEWHERE = re.compile(
    r"\b(?:bought|got|purchased|picked\s+up)\s+(?:it|them|this|that|one|mine|the\s+\w+)?\s*(?:in|at|from)\s+"
    r"(?:a|the|my|our|your|ur|another|a\s+different|some)?\s*(?:local\s+|high\s+street\s+|physical\s+)?"
    rf"(?:{_PLACE}|retailer|supermarket|market|department\s+store)\b"
    r"|\b(?:bought|got|purchased)\s+(?:it|them|this|that|one|mine)?\s*in[\s-]*store\b"
    r"|\b(?:bought|got|purchased)\s+(?:it|them|this|that|one|mine)?\s*from\s+(?:amazon|argos|currys|john\s+lewis|ebay"
    r"|another\s+(?:website|site|seller|retailer|shop|store))\b", re.IGNORECASE)


def says_bought_elsewhere(text: str) -> bool:
    """Whether the words say the item was bought in a shop or from another seller: not an
    order of ours to look up."""
    return _BOUGHT_ELSEWHERE.search(text or "") is not None
