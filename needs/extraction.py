"""What a customer already said about a new requirement, field by field (5W1H).

No statistical spaCy NER model can be installed here, so spaCy's own rule-based
recogniser (`entity_ruler`) marks dates, places, organisations, people and their roles,
head counts and money; cue phrases ("because", "we need", "budget", "integrate with")
open the Why, What and How clauses. A clause runs to the next cue or entity of another
field, so "we need 40 chairs for our Leeds office by March because the old ones broke"
gives What "40 chairs", Where "Leeds", When "by March", Why "the old ones broke".

Values are the customer's own words, trimmed; nothing is invented. A field that is not
clearly there is left out, and the form asks for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

from ground.calendar_days import MONTHS, WEEKDAYS
from ground.chat_shorthand import spelled_out

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

FIELDS: Tuple[str, ...] = ("what", "why", "when", "where", "who", "how")

# entity labels of the ruler, and the field each one answers
DATE, PLACE, ORG, PERSON, ROLE, HEADCOUNT, MONEY, CHANNEL, TEAM, CONTACT = (
    "DATE", "GPE", "ORG", "PERSON", "ROLE", "HEADCOUNT", "MONEY", "CHANNEL", "TEAM", "CONTACT")
# (an email address or phone number to reach the customer's side is part of the Who: "the
# contact email is office@glantaf.example" at the read-back was lost, and became part of the
# What, a customer run)
FIELD_OF_LABEL = {DATE: "when", PLACE: "where", CHANNEL: "where", HEADCOUNT: "who",
                  ROLE: "who", TEAM: "who", PERSON: "who", ORG: "who", MONEY: "how", CONTACT: "who"}

MONTH_ABBREVIATIONS = ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                       "nov", "dec"]
# ... with the full stop the tokenizer keeps on them ("by end of Feb." told no When: a customer run)
MONTH_ABBREVIATIONS += [f"{month}." for month in MONTH_ABBREVIATIONS]
SEASONS = ["christmas", "easter", "summer", "autumn", "spring", "winter", "new year",
           "black friday", "half term"]
PLACES = [
    "london", "manchester", "leeds", "birmingham", "bristol", "liverpool", "sheffield",
    "newcastle", "nottingham", "leicester", "cardiff", "swansea", "edinburgh", "glasgow",
    "aberdeen", "dundee", "belfast", "brighton", "oxford", "cambridge", "york", "bath",
    "southampton", "portsmouth", "plymouth", "exeter", "norwich", "coventry", "reading",
    "milton keynes", "dublin", "cork", "paris", "berlin", "madrid", "amsterdam",
    "uk", "united kingdom", "great britain", "england", "scotland", "wales",
    "northern ireland", "ireland", "france", "germany", "spain", "italy", "netherlands",
    "belgium", "europe", "usa", "united states", "the north", "the south west",
    "the midlands", "the north east", "the north west", "the south east",
]
CHANNELS = ["online", "our website", "our web shop", "our webshop", "our app", "remote",
            "remotely", "nationwide", "every branch", "all our stores", "all our branches",
            "all our offices", "all our sites", "each site", "every site", "every office",
            "home offices", "at home"]
ROLES = ["ceo", "cto", "cfo", "coo", "founder", "co-founder", "owner", "director",
         "managing director", "head of it", "head of operations", "head of facilities",
         "office manager", "facilities manager", "procurement", "procurement team",
         "purchasing manager", "my manager", "my boss", "the board", "decision maker",
         "the decision maker", "hr", "hr team", "it team", "headteacher", "principal",
         "practice manager", "general manager", "store manager", "finance team",
         "i decide", "i'll decide", "i make the decision", "i sign off", "i approve",
         # ("the head teacher decides" was left out of the sheet: a customer run)
         "head teacher", "the head teacher", "deputy head", "bursar", "business manager",
         "school business manager", "ops manager", "operations manager", "finance director",
         "the governors", "the trustees", "the owner", "the owners"]
# what a person who decides is said to do ("our CFO signs off", "Mrs Allen decides")
DECIDING = ["decides", "decide", "approves", "approve", "signs", "authorises", "authorizes",
            "okays", "chooses"]
DECIDING_AFTER = ["off", "it", "the", "spend", "budget", "purchase", "order", "orders", "on"]
# a named place of the customer's ("St Mary's school"); not an office or a site, which
# follow a city's name ("our Bristol office" is Bristol)
PREMISES = ["school", "primary", "hospital", "surgery", "practice", "hotel", "library", "church",
            "centre", "center", "clinic", "restaurant", "cafe", "café", "hall", "nursery", "gym",
            "studio", "pub", "inn", "farm", "care home", "leisure centre", "sports centre"]
# a street address's last word ("22 Wellington Street", "4 King St": the Where kept only the town)
STREETS = ["street", "st", "road", "rd", "lane", "ln", "avenue", "ave", "way", "square", "sq", "place",
           "close", "drive", "dr", "court", "ct", "park", "row", "terrace", "crescent", "gardens", "hill",
           "walk", "parade", "yard", "wharf", "quay", "mews", "green", "grove"]
# a period's kind before its noun ("before the new term", "by the next financial year")
PERIOD_KINDS = ["new", "coming", "school", "academic", "financial", "tax", "autumn", "spring",
                "summer", "winter", "busy", "peak"]
PEOPLE_NOUNS = ["people", "staff", "employees", "users", "members", "colleagues", "agents",
                "engineers", "students", "pupils", "guests", "residents", "grads",
                "graduates", "hires", "workers", "volunteers", "nurses", "teachers",
                # (not "desks": the shop sells them, and "need 40 desks" was filed as Who, no What)
                "customers", "clients", "patients", "persons", "person", "seats",
                # ("5 designers, I decide" kept only "I decide": a customer run)
                "designers", "developers", "managers", "baristas", "chefs", "cooks", "drivers",
                "cleaners", "doctors", "dentists", "therapists", "carers", "nurses", "coaches",
                "trainers", "accountants", "lawyers", "solicitors", "consultants", "analysts",
                "technicians", "receptionists", "waiters", "waitresses", "servers", "editors",
                "writers", "researchers", "scientists", "architects", "planners", "operators",
                "officers", "assistants", "interns", "apprentices", "tutors", "lecturers",
                "volunteers", "players", "kids", "children", "adults", "visitors", "tenants"]
GROUP_NOUNS = ["team", "teams", "staff", "department", "departments", "employees",
               "colleagues", "students", "pupils", "guests", "clients", "customers",
               "residents", "workforce", "agents", "engineers", "nurses", "teachers"]
ORG_SUFFIXES = ["ltd", "limited", "plc", "llp", "inc", "gmbh", "group", "co", "&", "partners",
                "holdings", "trust", "council", "university", "college", "academy"]
NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty",
                "seventy", "eighty", "ninety", "hundred", "a hundred", "a dozen", "dozen",
                "a few", "several", "about", "around", "roughly", "over", "nearly", "some"]

# the words that lead to an email address or a phone number told for the sheet
CONTACT_LEADS = ["the", "my", "our", "her", "his", "their", "contact", "contact:", "email", "email:", "e-mail",
                 "mail", "address", "phone", "phone:", "number", "tel", "tel:", "mobile", "details", "is",
                 "are", "at", "on", "me", "us", "him", "them", "reach", "call", "via", "by", ":"]

# the clauses that cue phrases open (up to the next cue, or an entity of another field)
CUES: Dict[str, List[str]] = {
    "why": ["because", "because of", "since", "so that", "so we can", "so i can",
            "so they can", "in order to", "due to", "the problem is", "the reason is",
            "the issue is", "our problem is", "the aim is", "the goal is", "we're struggling",
            "we are struggling", "struggling with", "we keep having", "as our", "as the",
            "to replace", "to reduce", "to improve", "to cut", "to save", "to avoid",
            # the problem told as it is, kept with its own words ("the old ones keep tripping the
            # fuses", "staff keep complaining the office is freezing": the Why was asked again
            # after "I'll skip anything you've already told me", 5 of 5 in a customer run)
            "the old ones", "our old ones", "the current ones", "our current ones", "our old",
            "our current", "staff keep", "staff keeps", "people keep", "everyone keeps",
            "customers keep", "guests keep", "our team keeps", "the team keeps", "we keep",
            # the project the request is for, told as it is ("we're refitting the guest rooms
            # at our hotel and need 50 speakers": the Why was asked again, a customer run)
            "we're refitting", "we are refitting", "we're refurbishing", "we are refurbishing",
            "we're renovating", "we are renovating", "we're opening", "we are opening",
            "we're moving", "we are moving", "we're expanding", "we are expanding",
            "we're upgrading", "we are upgrading", "we're replacing", "we are replacing"],
    "what": ["we need", "we want", "i need", "i want", "we'd like", "i'd like", "we would like",
             "i would like", "we are looking for", "we're looking for", "i'm looking for",
             "i am looking for", "looking for", "looking to buy", "looking to get",
             "we require", "we're after", "we are after", "need a quote for", "quote for",
             "interested in", "we're planning", "we are planning", "planning to buy",
             "want to order", "like to order", "can you supply", "could you supply",
             "can you set up", "could you set up", "help us equip", "help us with",
             "kitting out", "fitting out", "to furnish",
             # ("we're looking to kit out about 40 desks with office chairs and desk lamps"
             # told no What, and the customer had to say it again: a customer run)
             "kit out", "to equip",
             # ("we're thinking about getting Terra coffee grinders for all of them": no What,
             # and "we'd want them before we reopen" became the What, a customer run)
             "thinking about getting", "thinking of getting", "thinking about buying", "thinking of buying",
             "thinking about ordering", "thinking of ordering", "looking at getting", "set up", "we need to", "need",
             "needs", "want", "wants", "require", "requires", "would like", "want to give",
             "wants to give", "to order", "to buy",
             # "bulk order enquiry: 25 ember toasters for a hostel" (a customer run: the What
             # was asked for again)
             # (not "enquiry" alone: "a business enquiry about a large order" names nothing)
             "order enquiry", "order inquiry", "enquiry for", "bulk order of", "bulk order for",
             "order of", "quote on",
             # "I have a custom request: 40 engraved mugs for our office" (asked for again)
             "custom request", "special request", "custom order", "request for"],
    "how": ["budget", "our budget", "budget is", "budget of", "integrate with",
            "integrates with", "integration with", "work with", "compatible with", "prefer",
            # (not "ideally" or "preferably": "before the end of jan ideally" filed the How
            # "ideally, say" and the budget was never asked, 3 of 3 in a customer run)
            "via", "paid by", "pay by", "payment by", "pay on", "on invoice",
            "installed", "installation", "assembled", "assembly", "delivered and",
            "we'd rather", "we would rather", "monthly payments",
            "lease", "leasing", "recurring", "in one delivery", "in stages",
            # the terms of the deal ("and we'd want a bulk discount" was filed as a What)
            "bulk discount", "bulk deal", "bulk pricing", "bulk price", "discount",
            "purchase order", "payment terms", "net 30", "net 60", "on account",
            # the paperwork the deal needs ("we need a written quote first" was filed as a What)
            "a written quote", "written quote", "a formal quote", "formal quote", "a quote first",
            "quote first", "quote before", "in writing", "vat receipt", "vat invoice",
            # what the things must be like ("they need to be wall mounted and theft proof" to
            # the How question was filed as a What, and the How lost it: a customer run)
            "need to be", "needs to be", "have to be", "has to be", "must be"],
}
# the customer does not know or wants to go on without this field
SKIP_ANSWERS = frozenset({
    "skip", "skip it", "skip this", "pass", "next", "n/a", "na", "none", "no idea",
    "don't know", "dont know", "do not know", "i don't know", "i dont know", "not sure",
    "i'm not sure", "im not sure", "unsure", "no preference", "not yet", "dunno", "idk",
    "not decided", "not decided yet", "tbc", "to be confirmed", "doesn't matter",
    "does not matter", "whatever", "any", "anything", "no constraints", "nothing",
    # a bare "no" to "Anything about how it should be done?" says there is nothing to add;
    # read as the customer leaving, it dropped the request before its sheet was shown
    "no", "nope", "nah", "no thanks", "no thank you", "not really", "no not really",
    "nothing else", "nothing really", "none really", "no nothing", "nothing special",
    # declining to say (a customer run: "none of your business" was filed as the answer)
    "rather not say", "i'd rather not say", "id rather not say", "prefer not to say",
    "i prefer not to say", "none of your business", "not telling", "not telling you", "private",
})
NOT_KNOWN = "not known yet"

_TRIM_WORDS = {"and", "but", "also", "so", "or", "then", "that", "which", "the", "to", "for",
               "of", "with", "in", "at", "on", "by", "is", "are", "be", "we", "i", "it",
               "our", "a", "an", "will", "would", "should",
               # ("installation, and we'd" ended a How: a customer run)
               "we'd", "i'd", "we'll", "i'll", "we're", "i'm", "we've", "i've", "they'd"}
_KEEP_LEADING = {"the", "a", "an", "our"}
_TRIM_TRAILING = {"new", "this", "next", "my", "their", "your", "all", "every", "each"}


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    # spaCy (and the TensorFlow it pulls in) loads on first use, not when the module is
    # imported: the gateway imports the field names but never extracts
    import spacy

    return spacy.blank("en").tokenizer


def _words(phrase: str) -> List[Dict[str, object]]:
    """A phrase as spaCy tokenizes it ("we'd" is two tokens)."""
    return [{"LOWER": token.lower_} for token in _tokenizer()(phrase)]


def _ruler_patterns() -> List[Dict[str, object]]:
    lower = lambda values: {"LOWER": {"IN": values}}  # noqa: E731
    number = {"LIKE_NUM": True}
    # ("every quarter" kept only "quarter": a customer run)
    preposition = {"LOWER": {"IN": ["by", "before", "until", "till", "from", "in", "on", "for",
                                    "within", "after", "starting", "around", "end", "early",
                                    "mid", "late", "next", "this", "of", "the", "every", "each",
                                    "per", "once", "twice"]}, "OP": "*"}
    month = lower(MONTHS + MONTH_ABBREVIATIONS)
    # a word of a place's own name ("Grand", "St", "Mary")
    name_word = {"IS_TITLE": True, "IS_STOP": False,
                 "LOWER": {"NOT_IN": MONTHS + WEEKDAYS + ["new", "main", "head", "old"]}}
    patterns: List[Tuple[str, List[Dict[str, object]]]] = [
        (DATE, [preposition, {"LIKE_NUM": True, "OP": "?"}, {"LOWER": {"IN": ["st", "nd", "rd", "th"]}, "OP": "?"},
                month, number | {"OP": "?"}]),
        (DATE, [preposition, {"TEXT": {"REGEX": r"^\d{1,2}(st|nd|rd|th)?$"}}, {"LOWER": "of"}, month]),
        (DATE, [preposition, lower(WEEKDAYS)]),
        (DATE, [preposition, {"TEXT": {"REGEX": r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}/\d{1,2}/\d{2,4}$"}}]),
        (DATE, [preposition, {"TEXT": {"REGEX": r"^\d{4}$"}}, {"TEXT": "-"},
                {"TEXT": {"REGEX": r"^\d{1,2}$"}}, {"TEXT": "-"}, {"TEXT": {"REGEX": r"^\d{1,2}$"}}]),
        (DATE, [preposition, lower(["q1", "q2", "q3", "q4"]), {"TEXT": {"REGEX": r"^\d{4}$"}, "OP": "?"}]),
        (DATE, [preposition, lower(PERIOD_KINDS) | {"OP": "?"},
                lower(["week", "month", "year", "quarter", "term", "spring", "summer", "autumn",
                       "winter", "weekend", "season", "holidays"])]),
        (DATE, [lower(["tomorrow", "today", "asap", "urgently", "immediately"])]),
        (DATE, _words("as soon as possible")),
        (DATE, [preposition, lower(["a", "the", "one", "two", "three", "four", "six", "couple"]) | {"OP": "?"},
                {"LOWER": "of", "OP": "?"}, number | {"OP": "?"},
                lower(["day", "days", "week", "weeks", "month", "months", "year"])]),
        (DATE, [lower(["go", "going"]), {"LOWER": "live"}, preposition, month]),
    ]
    for season in SEASONS:
        # ("before the summer season" kept "before the summer")
        patterns.append((DATE, [preposition, *_words(season),
                                lower(["season", "holidays", "holiday", "break", "term", "rush",
                                       "period", "sales"]) | {"OP": "?"}]))
    for place in PLACES:
        patterns.append((PLACE, _words(place)))
    # a place the list does not know, said as one: "our office in Harrogate"
    patterns.append((PLACE, [lower(["office", "site", "warehouse", "store", "shop", "branch",
                                    "factory", "hq", "headquarters", "premises", "campus",
                                    "hotel", "school", "restaurant", "café", "cafe", "clinic",
                                    "practice", "based", "located"]),
                             lower(["in", "at", "near"]),
                             {"IS_TITLE": True, "LOWER": {"NOT_IN": MONTHS + WEEKDAYS}, "OP": "+"}]))
    # ... and said with its town ("the Grand Hotel in Bath" kept only "Bath": a customer run)
    patterns.append((PLACE, [name_word | {"OP": "+"},
                             lower(["office", "site", "warehouse", "store", "shop", "branch", "factory", "hq",
                                    "hotel", "school", "restaurant", "café", "cafe", "clinic", "practice"]),
                             lower(["in", "at", "near"]),
                             {"IS_TITLE": True, "LOWER": {"NOT_IN": MONTHS + WEEKDAYS}, "OP": "+"}]))
    patterns.append((PLACE, [{"TEXT": {"REGEX": r"^\d{1,4}[a-zA-Z]?$"}}, {"IS_TITLE": True, "OP": "+"},
                             {"LOWER": {"IN": STREETS}}]))
    patterns.append((PLACE, [name_word | {"OP": "+"},
                             {"LOWER": {"IN": ["'s", "’s"]}, "OP": "?"}, {"IS_TITLE": True, "OP": "*"},
                             lower(PREMISES)]))
    # a UK postcode ("Leeds, LS1 4AP" kept only "Leeds": a customer run)
    patterns.append((PLACE, [{"TEXT": {"REGEX": r"^(?i:[a-z]{1,2}\d[a-z\d]?)$"}},
                             {"TEXT": {"REGEX": r"^(?i:\d[a-z]{2})$"}}]))
    for channel in CHANNELS:
        patterns.append((CHANNEL, _words(channel)))
    for role in ROLES:
        patterns.append((ROLE, _words(role)))
    someone = {"IS_ALPHA": True, "IS_STOP": False}
    patterns.append((ROLE, [lower(["the", "our", "my"]) | {"OP": "?"}, someone | {"OP": "?"},
                            someone | {"OP": "?"}, someone | {"OP": "?"}, someone, lower(DECIDING),
                            lower(DECIDING_AFTER) | {"OP": "?"}, lower(DECIDING_AFTER) | {"OP": "?"}]))

    # a head count needs a number: "customers" alone says who, not how many
    patterns.append((HEADCOUNT, [lower(NUMBER_WORDS) | {"OP": "*"}, number, lower(PEOPLE_NOUNS)]))
    patterns.append((HEADCOUNT, [lower(NUMBER_WORDS) | {"OP": "+"}, lower(PEOPLE_NOUNS)]))
    patterns.append((HEADCOUNT, [{"LOWER": {"IN": ["team", "staff", "workforce"]}},
                                 {"LOWER": "of"}, number, lower(PEOPLE_NOUNS) | {"OP": "?"}]))
    patterns.append((TEAM, [lower(["for", "by"]), lower(["our", "my", "the", "all", "every",
                                                          "each", "all", "whole"]),
                            {"IS_ALPHA": True, "OP": "?"}, {"IS_ALPHA": True, "OP": "?"},
                            lower(GROUP_NOUNS)]))
    # ... with its size: "for my team of 20" kept only "my team" (a customer run)
    patterns.append((TEAM, [lower(["for", "by"]), lower(["our", "my", "the", "all", "every",
                                                          "each", "all", "whole"]),
                            {"IS_ALPHA": True, "OP": "?"}, {"IS_ALPHA": True, "OP": "?"},
                            lower(GROUP_NOUNS), {"LOWER": "of"}, lower(NUMBER_WORDS) | {"OP": "*"}, number,
                            lower(PEOPLE_NOUNS) | {"OP": "?"}]))
    # "4 of us" (not "10 of them", which are things as often as people)
    patterns.append((HEADCOUNT, [lower(NUMBER_WORDS) | {"OP": "*"}, number, {"LOWER": "of"}, {"LOWER": "us"}]))
    patterns.append((MONEY, [lower(["£", "$", "€"]), number, lower(["k", "m"]) | {"OP": "?"}]))
    # ("£8k" is two tokens, "8k" one: "budget is about 8k" was no budget)
    patterns.append((MONEY, [lower(["£", "$", "€"]), {"TEXT": {"REGEX": r"^\d[\d,.]*[kKmM]$"}}]))
    patterns.append((MONEY, [{"TEXT": {"REGEX": r"^\d[\d,.]*[kK]$"}}]))
    patterns.append((MONEY, [{"TEXT": {"REGEX": r"^[£$€]\d[\d,.]*[kKmM]?$"}}]))
    patterns.append((MONEY, [number, lower(["k", "pounds", "gbp", "euros", "eur", "dollars",
                                            "usd", "grand"])]))
    patterns.append((ORG, [{"IS_TITLE": True, "OP": "+"}, lower(ORG_SUFFIXES)]))
    patterns.append((PERSON, [lower(["mr", "mrs", "ms", "miss", "dr", "mr.", "mrs.", "ms.", "dr."]),
                              {"IS_TITLE": True, "OP": "+"}]))
    patterns.append((PERSON, [*_words("my name is"), {"IS_TITLE": True, "OP": "+"}]))
    # "contact Priya Shah" (a customer run: the contact told at the read-back was lost)
    name_word = {"IS_TITLE": True, "IS_ALPHA": True, "LOWER": {"NOT_IN": ["is", "me", "us", "you", "the", "our",
                                                                         "details", "number", "email"]}}
    patterns.append((PERSON, [lower(["contact", "contact:"]), name_word, {**name_word, "OP": "?"}]))
    # an email address or a phone number, with the words that lead to it ("and the contact
    # email is", "call me on"), so that they end the clause before them
    leading = lower(CONTACT_LEADS) | {"OP": "*"}
    patterns.append((CONTACT, [leading, {"LIKE_EMAIL": True}]))
    patterns.append((CONTACT, [leading, {"TEXT": {"REGEX": r"^(?:\+44|0)\d{9,10}$"}}]))
    patterns.append((CONTACT, [leading, {"TEXT": {"REGEX": r"^(?:\+44|0)\d{2,4}$"}},
                               {"TEXT": {"REGEX": r"^\d{3,6}$"}}, {"TEXT": {"REGEX": r"^\d{3,4}$"}, "OP": "?"}]))
    return [{"label": label, "pattern": pattern} for label, pattern in patterns]


@dataclass(frozen=True)
class Extracted:
    """The fields found (the customer's words) and every entity seen, by label."""

    fields: Dict[str, str]
    details: Dict[str, List[str]] = field(default_factory=dict)


class NeedsExtractor:
    """Finds the 5W1H fields in a message; build once (spaCy set-up takes a moment)."""

    def __init__(self) -> None:
        import spacy
        from spacy.matcher import Matcher

        self._nlp: Language = spacy.blank("en")
        self._nlp.add_pipe("sentencizer")
        ruler = self._nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(_ruler_patterns())
        self._cues = Matcher(self._nlp.vocab)
        for name, phrases in CUES.items():
            self._cues.add(name, [_words(phrase) for phrase in phrases])

    def extract(self, text: str) -> Extracted:
        # "september next yr" kept only "september" (a customer run): the year is a date's
        # part only when spelt out
        text = _YEAR_SHORT.sub(lambda m: "years" if m.group(0).lower().endswith("s") else "year",
                               " ".join((text or "").split())[:2000])
        # an abbreviation's full stop ends no clause ("£8k budget incl. installation" kept
        # "budget incl"), and chat shorthand is read spelled out ("need em b4 september" kept the
        # What "…; em b4" and the When "september")
        text = _ABBREVIATION_STOP.sub(r"\1", text)
        text = _SHORTHAND_WORD.sub(lambda m: spelled_out(m.group(0).lower()) or m.group(0), text)
        if not text or text.startswith("/"):
            return Extracted({})
        doc = self._nlp(text)
        # a place, date or person said not to be it is no answer ("it's Norwich, not reading")
        entities = [ent for ent in doc.ents if not _only_preposition(ent)
                    and not (ent.start > 0 and doc[ent.start - 1].lower_ in _DENIED_BY)
                    and not _describes_a_thing(ent)]
        details: Dict[str, List[str]] = {}
        found: Dict[str, List[str]] = {}
        for ent in entities:
            name = FIELD_OF_LABEL[ent.label_]
            # "by March" is a deadline, "in March" a start: the preposition stays on a date;
            # a role is said whole ("I decide")
            value = (_one_preposition(ent).strip(" ,;:.!?") if ent.label_ == DATE
                     else ent.text.strip(" ,;:.!?") if ent.label_ == ROLE
                     else _contact_told(ent) if ent.label_ == CONTACT
                     else _clean(_strip_preposition(ent).text))
            if value and value not in found.get(name, []):
                found.setdefault(name, []).append(value)
                details.setdefault(ent.label_, []).append(value)
        for name, value in self._clauses(doc, entities):
            if value and value not in found.get(name, []):
                found.setdefault(name, []).append(value)
        if "what" not in found:
            counted = _counted_things(doc, entities)
            if counted:
                found["what"] = [counted]
        _name_the_ones(text, found)
        return Extracted({name: "; ".join(_without_repeats(values))
                          for name, values in found.items()}, details)

    def _clauses(self, doc: Doc, entities: Sequence[Span]) -> List[Tuple[str, str]]:
        """The Why/What/How clauses opened by cue phrases, the longest cue winning."""
        matches = sorted(((doc.vocab.strings[m], s, e) for m, s, e in self._cues(doc)),
                         key=lambda match: (match[1], -(match[2] - match[1])))
        cues: List[Tuple[str, int, int]] = []
        for name, start, end in matches:
            if cues and start < cues[-1][2]:
                continue
            cues.append((name, start, end))
        # (a place's entity starts at its own words: "for our dental practice in Bristol" kept
        # the What "… for our dental", a customer run)
        starts = {_own_start(ent) for ent in entities}
        stops = sorted({start for _, start, _ in cues} | starts)
        # a How runs on over its own kind ("budget around £8,000 incl installation" was
        # "budget around £8,000; installation")
        how_stops = sorted({start for name, start, _ in cues if name != "how"}
                           | {_own_start(ent) for ent in entities if ent.label_ != MONEY})
        clauses = []
        for name, start, end in cues:
            sentence_end = doc[start].sent.end
            stop = min([s for s in (how_stops if name == "how" else stops) if s >= end] + [sentence_end])
            stop = min([t.i for t in doc[end:stop] if t.text in {";", "?", "!", "."} or _asks_after(t)] + [stop])
            clause = doc[end:stop]
            if name == "how":  # the cue itself says what the constraint is ("budget", "via")
                # ... with the sum said before it ("£8k budget")
                money_before = [ent.start for ent in entities if ent.label_ == MONEY and (
                    ent.end == start or (ent.end == start - 1 and doc[start - 1].lower_ in _JOINING_A_SUM))]
                clause = doc[money_before[0] if money_before else _negated_from(doc, start):stop]
            text = _clean(clause.text)
            if name == "why" and doc[start].lower_ in _WHY_CUE_KEPT:
                text = _clean(doc[start:stop].text)
            if name == "what" and text.split()[:1] and text.split()[0].lower() in _ONLY_POINTS_BACK:
                continue  # "we'd want them before we reopen": the things are named elsewhere
            if len(text.split()) >= (1 if name == "how" else 2):
                clauses.append((name, text))
        return clauses


# a What that opens with a word pointing back names no things of its own
_ONLY_POINTS_BACK = frozenset({"them", "it", "those", "these", "this", "that", "they"})
_ASKING = frozenset({"could", "can", "would", "will", "do", "does"})
_ASKED = frozenset({"you", "u", "ya", "we", "i"})


def _asks_after(token: Token) -> bool:
    """Whether a comma starts a question to the shop ("…desk lamps, could you do a bulk
    deal?" kept "could you do" in the What: a customer run)."""
    doc = token.doc
    if token.text != "," or token.i + 2 >= len(doc):
        return False
    first, second = doc[token.i + 1].lower_, doc[token.i + 2].lower_
    # (", and I was wondering if you could do some kind of discount" ran on in the What)
    return (first in _ASKING and second in _ASKED) or (first == "and" and second in ("i", "we"))


# things named before "we want 25 new ones": "our office chairs are falling apart" (the What
# was "25 new ones for the office" and the sheet never said what, 3 of 3 in a customer run)
_NAMED_THINGS = re.compile(
    r"\b(?:our|the|my|these|those|\d+)\s+((?:[a-z-]+\s+){0,2}?[a-z-]+s)"
    r"(?=\s+(?:are|were|is|keep|have|has|that|which|in|at|from|just|all|both|broke|started|stopped|"
    r"do\s*n'?t|don'?t|won'?t|can'?t|aren'?t|got|need|needs|look|looks)\b)", re.IGNORECASE)
_NOT_THINGS = (frozenset(PEOPLE_NOUNS + GROUP_NOUNS) - {"seats"}) | {
    "ones", "things", "bits", "others", "years", "months", "weeks", "days", "times", "problems",
    "issues", "prices", "costs", "numbers"}
# what is wrong with them, said without a cue: the Why
_WRONG_WITH_THEM = re.compile(
    r"\b(?:falling\s+apart|fall(?:ing)?\s+to\s+bits|broken|broke|breaking|dying|dead|ancient|"
    r"worn(?:\s+out)?|knackered|wobbly|outdated|out\s+of\s+date|too\s+old|on\s+their\s+last\s+legs|"
    r"(?:do\s*n'?t|don'?t|no\s+longer|won'?t)\s+work|not\s+working|stopped\s+working|uncomfortable|"
    r"a\s+mess|past\s+it|rubbish|useless)\b", re.IGNORECASE)
_ONES = re.compile(r"\bones\b", re.IGNORECASE)


def _name_the_ones(text: str, found: Dict[str, List[str]]) -> None:
    """A What of "new ones" names the things said before it ("our office chairs are falling
    apart, we want 25 new ones" → "25 new office chairs"), and what was said wrong with them is
    the Why when no Why was told."""
    whats = found.get("what") or []
    if not whats or not _ONES.search(whats[0]):
        return
    at = text.lower().find(whats[0].lower())
    named = [m for m in _NAMED_THINGS.finditer(text[:at if at >= 0 else len(text)])
             if m.group(1).lower().split()[-1] not in _NOT_THINGS]
    if not named:
        return
    things = named[-1]
    whats[0] = _ONES.sub(things.group(1), whats[0], count=1)
    clause = re.split(r"[,;.!?]|\b(?:so|and|but)\b", text[things.start():at if at >= 0 else len(text)])[0]
    if "why" not in found and _WRONG_WITH_THEM.search(clause):
        found["why"] = [_clean(clause)]


# what joins a sum to what it covers ("£8,000 incl installation")
_JOINING_A_SUM = frozenset({"incl", "including", "inc", "with", "plus", "+", "and", "excl", "excluding"})
_OPENING_WORDS = frozenset({"hi", "hello", "hey", "hiya", "ok", "okay", "so", "yes", "yeah", "well", "right",
                            "sure", "and", "also", "it's", "its", ",", "-", ":"})


# what a plural after a head count may be without making it a thing's description: people
# again ("12 staff members") or a verb ("12 staff needs them")
_AFTER_A_HEADCOUNT = frozenset({"members", "needs", "uses", "wants", "works", "gets", "sits", "is", "was",
                                "does", "has", "starts", "joins"})


def _describes_a_thing(ent: Span) -> bool:
    """Whether a head count is the first part of a thing's name ("our 12 staff kitchens":
    kitchens for staff, not twelve people; a customer run filed "Who: 12 staff")."""
    if ent.label_ != HEADCOUNT or ent.end >= len(ent.doc):
        return False
    after = ent.doc[ent.end]
    return (after.is_alpha and after.lower_.endswith("s") and after.lower_ not in PEOPLE_NOUNS
            and after.lower_ not in _AFTER_A_HEADCOUNT)


# places counted are no goods ("12 sites across Manchester and Liverpool" to the Where
# question was added to the What: "…; 12 sites across", a customer run)
_PLACE_NOUNS = frozenset({
    "site", "sites", "office", "offices", "branch", "branches", "store", "stores", "shop", "shops",
    "location", "locations", "venue", "venues", "building", "buildings", "floor", "floors", "room", "rooms",
    "classroom", "classrooms", "kitchen", "kitchens", "restaurant", "restaurants", "cafe", "cafes",
    "hotel", "hotels", "school", "schools", "warehouse", "warehouses", "depot", "depots", "clinic",
    "clinics", "practice", "practices", "surgery", "surgeries", "campus", "campuses", "outlet", "outlets"})


def _counted_things(doc: Doc, entities: Sequence[Span]) -> Optional[str]:
    """Things counted at the start of a message with no cue before them ("50 Orbit Smart
    Speakers for guest rooms at the Grand Hotel in Bath, …" told no What, and the sheet's What
    stayed "a bulk order": a customer run), up to the next entity or punctuation."""
    start = 0
    while start < len(doc) and doc[start].lower_ in _OPENING_WORDS:
        start += 1
    if start >= len(doc) or not doc[start].like_num or any(ent.start <= start < ent.end for ent in entities):
        return None
    stop = min([_own_start(ent) for ent in entities if _own_start(ent) > start]
               + [t.i for t in doc[start:] if t.is_punct and t.text not in {"-", "'"}] + [len(doc)])
    value = _clean(doc[start:stop].text)
    if start + 1 < len(doc) and doc[start + 1].lower_ in _PLACE_NOUNS:
        return None
    return value if len(value.split()) >= 2 else None


_DENIED_BY = frozenset({"not", "nor", "never"})
# Why cues that are words of the reason itself ("to replace …", "the old ones keep …")
_WHY_CUE_KEPT = frozenset({"to", "the", "our", "staff", "people", "everyone", "customers", "guests", "we"})
# words that say a cue is not there ("no budget limit really" was saved as "budget limit
# really", a customer run)
_NO = frozenset({"no", "not", "without", "never", "n't", "zero", "nothing"})


def _negated_from(doc: Doc, start: int) -> int:
    """Where a cue's clause starts: at a "no" up to three words before it, in its sentence."""
    sentence_start = doc[start].sent.start
    for index in range(start - 1, max(sentence_start, start - 3) - 1, -1):
        if doc[index].lower_ in _NO:
            return index
    return start
_SHORTHAND_WORD = re.compile(r"(?<![\w'])[A-Za-z0-9]+(?![\w'])")
_ABBREVIATION_STOP = re.compile(r"\b(incl|excl|approx|inc|est|min|max)\.(?=\s+\w)", re.IGNORECASE)
_YEAR_SHORT = re.compile(r"\b(?<=next |this |last )yrs?\b|\b(?<=\d )yrs?\b", re.IGNORECASE)


def _without_repeats(values: List[str]) -> List[str]:
    """Drops a value another value of the field already says ("£5k" beside "budget £5k")."""
    return [v for v in values
            if not any(v != other and v.lower() in other.lower() for other in values)]


def _only_preposition(ent: Span) -> bool:
    return all(token.lower_ in _TRIM_WORDS for token in ent)


_LEADING_PLACE_WORDS = {"for", "by", "in", "at", "near", "office", "site", "warehouse", "store",
                        "shop", "branch", "factory", "hq", "headquarters", "premises",
                        "campus", "hotel", "school", "restaurant", "café", "cafe", "clinic",
                        "practice", "based", "located"}


def _contact_told(ent: Span) -> str:
    """The address or number of a contact entity, without the words that lead to it."""
    return " ".join(token.text for token in ent if token.lower_ not in CONTACT_LEADS).strip(" ,;.!?")


def _own_start(ent: Span) -> int:
    """Where an entity's own words start: a place's after the words that lead to it."""
    return _strip_preposition(ent).start if ent.label_ == PLACE else ent.start


# the prepositions a date keeps one of: "by" (a deadline), "from" (a start) …
_DATE_PREPOSITIONS = frozenset({"by", "before", "until", "till", "from", "in", "on", "for", "within", "after",
                                "around"})


def _one_preposition(ent: Span) -> str:
    """A date with the last of the prepositions before it: "we need them in on 2 March" read
    back "When: in on 2 March" (a customer run); the verb's "in" is no part of the date."""
    start = ent.start
    while (start + 1 < ent.end and ent.doc[start].lower_ in _DATE_PREPOSITIONS
           and ent.doc[start + 1].lower_ in _DATE_PREPOSITIONS):
        start += 1
    return ent.doc[start:ent.end].text


def _strip_preposition(ent: Span) -> Span:
    start = ent.start
    while start < ent.end - 1 and ent.doc[start].lower_ in _LEADING_PLACE_WORDS:
        start += 1
    return ent.doc[start:ent.end]


def _clean(text: str) -> str:
    """Trims joining words and punctuation from the ends of a phrase."""
    words = text.strip(" ,;:.!?-–—").split()
    while words and words[-1].lower().strip(",") in _TRIM_WORDS | _TRIM_TRAILING:
        words.pop()
    while words and words[0].lower() in _TRIM_WORDS - _KEEP_LEADING:
        words.pop(0)
    return " ".join(words).strip(" ,;:.!?-–—")


def is_skip(text: Optional[str]) -> bool:
    """The customer does not know, or wants to go on without this field."""
    normalised = re.sub(r"[^\w'/ ]", "", (text or "").lower()).strip()
    normalised = normalised.replace("’", "'")
    return normalised in SKIP_ANSWERS


@lru_cache(maxsize=1)
def shared_extractor() -> NeedsExtractor:
    return NeedsExtractor()


@lru_cache(maxsize=256)
def extract_needs(text: str) -> Extracted:
    """The fields of one message, read once: the form asks for each of its six fields in
    turn about the same message. The result is shared; read it, never change it."""
    return shared_extractor().extract(text)
