"""A customer waiting in the queue for a person who no longer needs one.

Messages written while queued are not read by the assistant (a person will read them), so
"never mind, sorted it" left a ticket in the queue for an agent to pick up for nothing. The
gateway asks first, with two buttons, and only a "yes" to that question (the button, or a
typed yes while the buttons are on screen) takes the customer out of the queue: a false alarm
here costs one question, never a lost request.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional

# the buttons of the question (payloads the gateway handles itself; Rasa never sees them)
WITHDRAW = "/withdraw_handoff"
KEEP_WAITING = "/keep_waiting"
PAYLOADS = frozenset({WITHDRAW, KEEP_WAITING})

BUTTONS = [
    {"title": "Yes, I'm sorted", "payload": WITHDRAW},
    {"title": "No, I still need a person", "payload": KEEP_WAITING},
]
# the same question to a customer who would rather carry on with the assistant than wait
CARRY_ON_BUTTONS = [
    {"title": "Yes, let's carry on here", "payload": WITHDRAW},
    {"title": "No, I'll wait for a person", "payload": KEEP_WAITING},
]

_SOUNDS_DONE = re.compile(
    r"\b(?:"
    r"never\s*mind|nvm|forget\s+(?:it|about\s+it|that|the\s+(?:request|ticket|person|human|agent|handoff|queue|team))"
    r"|no\s+need\s+(?:any\s*more|now|for\s+(?:a|an|the|any)\s+(?:person|human|agent|one|team))"
    # (a later run: "yeah ok im good now, bye", "thanks thats all i needed" waited for a person)
    r"|(?:i'?m|im|i\s+am)\s+(?:all\s+)?good(?:\s+now)?(?=\W*(?:thanks?|thx|cheers|ta|bye|$))"
    r"|that'?s\s+all\s+i\s+(?:needed|wanted)|thats\s+all\s+i\s+(?:needed|wanted)"
    r"|(?:do\s*n[o']?t|no\s+longer|won'?t)\s+need\s+(?:a\s+|the\s+)?"
    r"(?:person|human|agent|anyone|any\s*one|somebody|someone|help|you|it)"
    r"|(?:all\s+|it'?s\s+|i'?ve\s+|i\s+have\s+|got\s+it\s+|managed\s+to\s+)?sorted(?:\s+(?:it|now))?(?!\s+by)"
    r"|(?:i\s+|i'?ve\s+)?(?:figured|worked)\s+it\s+out|found\s+it"
    r"|(?:problem|issue|it'?s|all)\s+(?:solved|resolved|fixed)|(?:solved|fixed)\s+it"
    r"|(?:it'?s\s+)?(?:all\s+good|fine)\s+now|works\s+now|working\s+now|it\s+(?:just\s+)?arrived"
    # (a customer run: "please cancel the deletion request" in the queue of an erasure request
    # was only "added to your conversation")
    r"|(?:cancel|withdraw)\s+(?:my|the|this)\s+(?:[a-z]+\s+)?(?:request|ticket|chat|call\s+back)"
    r"|(?:i'?ll|i\s+will)\s+(?:try|call|ring|email)\s+(?:again\s+)?(?:later|tomorrow|another\s+time)"
    r")\b",
    re.IGNORECASE,
)
# still needing the person, around those words: "not sorted", "haven't found it", "is it
# sorted?"
_STILL_NEEDS = re.compile(r"\b(?:not|never|still|yet|but)\b|n'?t\b|\?\s*$", re.IGNORECASE)
# upset, or wanting something else, anywhere: "forget it, this is useless, I want a manager",
# "it arrived broken", "never mind, I'll just sue you" (no "are you sorted?" button to mis-press)
_UPSET_OR_ELSE = re.compile(
    r"\b(?:broken|damaged|wrong|useless|rubbish|ridiculous|joke|manager|sue|court|complain\w*|"
    r"replace\w*|instead|i want|i need|spark\w*|smok\w*|fire|burn\w*|leak\w*|melt\w*|"
    r"done with|lost a customer|elsewhere|somewhere else)\b|\bno!", re.IGNORECASE)
# content to wait after all: "nvm, I'll wait"
_WILL_WAIT = re.compile(r"\b(?:i'?ll|i\s+will|i\s+can|happy\s+to|do\s*n'?t\s+mind)\s+wait", re.IGNORECASE)
# upset beside "never mind": the person is still for them ("forget it, absolute joke")
_UPSET = re.compile(r"\b(?:useless|rubbish|ridiculous|joke|pathetic|disgrace\w*|done\s+with|lost\s+a\s+customer"
                    r"|elsewhere|somewhere\s+else|complain\w*|trustpilot|review)\b|\bno!", re.IGNORECASE)
_NEVER_MIND = re.compile(r"^\W*(?:(?:oh|ok|okay|actually|sorry|ah)\W+)*(?:never\s*mind|nvm|forget\s+it)\b",
                         re.IGNORECASE)


# rather carrying on with the assistant than waiting: "cancel the handoff", "I'll just do it
# with you", "I don't want to wait till monday", "don't pass me to anyone"
_CARRY_ON = re.compile(
    r"\b(?:"
    r"cancel\s+(?:the\s+|my\s+|this\s+)?(?:hand\s*-?\s*(?:off|over)|transfer|queue|wait(?:ing)?)"
    r"|take\s+me\s+(?:out|off)(?:\s+(?:of\s+)?(?:the\s+|this\s+)?(?:queue|list))?"
    r"|(?:carry\s+on|continue|go\s+on|keep\s+going)\s+(?:here\s+)?with\s+(?:you|u|the\s+(?:bot|assistant))"
    # (a later run: "actually nvm lets carry on here", "wait no, u do it", "changed my mind",
    # "actually no dont worry about the human", "can the bot do it instead?")
    r"|(?:let'?s|lets|we\s+can|can\s+we|i'?ll|ill|i\s+will)\s+(?:just\s+)?(?:carry\s+on|continue|keep\s+going)(?:\s+here)?"
    r"|(?:you|u|the\s+bot)\s+(?:can\s+)?do\s+it\b|can\s+(?:the\s+bot|you|u)\s+(?:just\s+)?do\s+it"
    r"|changed\s+my\s+mind|(?:do\s*n[o']?t|dont|no\s+need\s+to)\s+worry\s+about\s+the\s+(?:human|person|agent|team)"
    r"|(?:can'?t|can|could)\s+(?:you|u)\s+(?:not\s+)?(?:just\s+)?(?:do|sort)\s+(?:it|this|that)"
    r"(?:\s+(?:yourself|for\s+me|here|now))?"
    # "can you do the email change yourself?"
    r"|(?:can|could)\s+(?:you|u)\s+(?:just\s+)?(?:do|sort)\s+(?:the|my)\s+[a-z]+(?:\s+change)?\s+(?:yourself|for\s+me)"
    r"|(?:i'?ll|i\s+will|i'?d\s+rather|let'?s|can\s+i|i\s+can)\s+(?:just\s+)?(?:do|sort|finish)\s+"
    r"(?:it|this|that|(?:the|my)\s+[a-z]+(?:\s+change)?)\s+(?:with\s+(?:you|u|the\s+bot)|here|myself)"
    r"|(?:i\s+)?(?:do\s*n[o']?t|don'?t)\s+(?:want\s+to|wanna)\s+wait(?:\s+(?:that|so)\s+long)?"
    r"|(?:can'?t|cannot)\s+wait\s+(?:that\s+long|till|until|for)"
    r"|do\s*n[o']?t\s+(?:pass|transfer|hand|put)\s+me\s+(?:on|over|through|to)"
    # (a later run, 0 of 6 left: "i dont want a person anymore", "no human needed", "i said NOT a
    # person", "i dont need to speak to someone, we can do it here", "i want to do the return
    # with the bot", "carry on here")
    r"|(?:do\s*n[o']?t|don'?t)\s+(?:want|need)\s+(?:a|an|the|any)\s+(?:person|human|agent)"
    r"|(?:do\s*n[o']?t|don'?t)\s+(?:want|need)\s+to\s+(?:speak|talk)\s+to\s+(?:a\s+|an\s+|the\s+)?"
    r"(?:someone|somebody|anyone|person|human|agent)"
    r"|no\s+(?:human|person|agent)\s+(?:needed|required|necessary)|not\s+a\s+(?:person|human)"
    r"|(?:want|wanna|like)\s+to\s+(?:do|sort|finish)\s+(?:it|this|that|(?:the|my)\s+[a-z]+)\s+(?:with\s+(?:you|u|the\s+bot)|here)"
    r"|(?:we|you|u)\s+can\s+do\s+it\s+here|^\W*carry\s+on\s+here"
    r"|(?:the\s+)?bot\s+(?:is|will\s+do)\s+fine|you'?ll\s+do"
    r")\b",
    re.IGNORECASE,
)
# a danger, the law or a person still wanted beside those words: the customer is not asked
_STILL_FOR_THE_TEAM = re.compile(
    r"\b(?:spark\w*|smok\w*|fire|burn\w*|leak\w*|melt\w*|sue|court|lawyer|manager|"
    r"(?:want|need)\s+(?:a\s+|to\s+(?:speak|talk)\s+to\s+(?:a\s+)?)(?:person|human|agent|someone|manager))\b",
    re.IGNORECASE)
_DO_NOT = re.compile(r"\b(?:do\s*n[o']?t|don'?t|never|please\s+don'?t)\s+$", re.IGNORECASE)
# a few words that only talk about the wait or the team ("oh the team is away?", "no wait")
_ABOUT_THE_WAIT = re.compile(
    r"\b(?:wait\w*|queue|team|person|human|agent|any\s*one|some\s*one|somebody|away|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|weekend|tomorrow|urgent|hurry|rush|thanks?|cheers|ta|anyway)\b", re.IGNORECASE)
# words that ask nothing on their own ("can you", "it myself")
_NO_REQUEST_WORDS = frozenset({"can", "could", "would", "will", "you", "u", "i", "me", "it", "this",
                               "that", "just", "please", "pls", "then", "now", "the", "a", "myself",
                               "yourself", "do", "it's", "is", "all", "good", "fine", "ok", "okay",
                               "ugh", "argh", "ffs", "god", "omg", "lol", "sigh", "well", "right",
                               "alright", "yes", "yeah", "yep", "whatever", "seriously", "really",
                               "so", "oh", "ah", "hmm", "tbh", "honestly", "actually", "anyway",
                               "ill", "i'll", "give", "postcode", "details", "no", "wait"})
# the request for a person called off in words of its own, said with leaving: "so i dont need
# the person anymore, you can cancel that" was sent to the assistant as "you can cancel that",
# and got the Harbor Club's cancellation passage (a customer run)
_CALLS_IT_OFF = re.compile(r"^(?:(?:you\s+)?(?:can|could|may|pls|please)\s+)*(?:cancel|stop|drop|withdraw|close|end|scrap)\s+"
                           r"(?:it|that|this|the\s+(?:request|ticket|handoff|chat|queue|person|call))"
                           r"(?:\s+(?:please|pls|then|now|thanks))*\W*$", re.IGNORECASE)
_FILLER = re.compile(r"^(?:\W|\b(?:no|nah|ok|okay|oh|ah|actually|so|and|but|then|just|please|pls)\b)+",
                     re.IGNORECASE)


# what makes the rest a request: a question, an order, a thing the shop does ("ill finish with
# you", "nah dont worry", "ok ignore that" were sent to the assistant as requests: "Thanks
# for chatting", the rating, and the task the customer was doing dropped, 6 of 8 in a run)
_ASKS_SOMETHING = re.compile(
    r"\?|\bHG-?\d|\b(?:where|wheres|when|what|whats|how|why|which|"
    r"(?:can|could|would|will)\s+(?:you|u|i|we)|need|want|wanna|like\s+to|"
    r"orders?|invoice|receipt|refund\w*|return\w*|cancel\w*|change|update|address|e-?mail|phone|number|"
    r"password|account|deliver\w*|shipping|track\w*|parcel|package|pay\w*|price|cost|stock|warranty|"
    r"open\w*|hours|plans?|subscri\w*|newsletter|unsubscribe|discount|voucher|items?|products?)\b",
    re.IGNORECASE)


_TYPED_YES = re.compile(r"^\W*(?:yes|yeah|yep|yup|ye|y|ok|okay|sure|i'?m sorted|all sorted|sorted)\b",
                        re.IGNORECASE)
_TYPED_NO = re.compile(r"^\W*(?:no|nope|nah|not yet|i still need|still need)\b", re.IGNORECASE)


def typed_answer(text: str) -> Optional[str]:
    """The button a typed reply to the question means ("yes im sorted thanks": leave the
    queue), or None when it is no plain yes or no (it is then kept for the person)."""
    if sounds_withdrawn(text) or wants_to_carry_on(text):
        return WITHDRAW  # "nope dont need anyone" (4 of 4 kept in the queue, a customer run)
    if _TYPED_NO.match(text):
        return KEEP_WAITING
    if _TYPED_YES.match(text) and not re.search(r"\b(?:but|still|not|no)\b|n't\b", text, re.IGNORECASE):
        return WITHDRAW
    return None


def sounds_withdrawn(text: str) -> bool:
    """Whether a message written in the queue may mean the customer no longer needs a person
    (the gateway then asks; it never withdraws on words alone)."""
    text = text.strip()
    if not text or len(text) > 200:
        return False
    match = _SOUNDS_DONE.search(text)
    if match is None or _UPSET_OR_ELSE.search(text) or _WILL_WAIT.search(text):
        return False
    rest = text[:match.start()] + " " + text[match.end():]
    if _STILL_NEEDS.search(rest) is None:
        return True
    # opening with "never mind" says it even beside a "not" ("never mind, it's not urgent")
    return _NEVER_MIND.match(text) is not None and re.search(r"\bstill\b|\?\s*$", rest) is None


def wants_to_carry_on(text: str) -> bool:
    """Whether a message written in the queue says the customer would rather go on with the
    assistant than wait for a person ("cancel the handoff, I'll do it with you"); the gateway
    then asks, as for `sounds_withdrawn`."""
    text = text.strip()
    if not text or len(text) > 300 or _wanted(_STILL_FOR_THE_TEAM, text):
        return False
    return _wanted(_CARRY_ON, text)


def _wanted(words: "re.Pattern[str]", text: str) -> bool:
    """Whether `words` are in `text` other than after a "don't" ("i dont want a person")."""
    return any(_DO_NOT.search(text[:match.start()]) is None for match in words.finditer(text))


def request_beside(text: str) -> Optional[str]:
    """What a customer leaving the queue asked for in the same message, without the words
    about leaving or waiting ("forget it then, I'll just do it with you. I need to change the
    address on HG-100005" → "I need to change the address on HG-100005"); None when it only
    says they are leaving."""
    bare = _CARRY_ON.sub(" , ", _SOUNDS_DONE.sub(" , ", text))
    kept = []
    for clause in re.split(r"[.,;!?\n]+", bare):
        clause = _FILLER.sub("", clause.strip()).strip()
        words = re.findall(r"[\w'-]+", clause)
        content = [word for word in words if word.lower() not in _NO_REQUEST_WORDS]
        if (len(words) < 2 or not content or (len(words) <= 6 and _ABOUT_THE_WAIT.search(clause))
                or not _ASKS_SOMETHING.search(clause) or _CALLS_IT_OFF.match(clause)):
            continue
        kept.append(clause)
    return ", ".join(kept) or None


def leaving_buttons(text: str) -> Optional[List[Dict[str, str]]]:
    """The buttons of the question a queued customer's message calls for: "are you sorted?"
    (`BUTTONS`), "shall we carry on here?" (`CARRY_ON_BUTTONS`, when they would rather go on
    with the assistant, or asked for something it does beside saying they are done), or None
    when the message is for the person."""
    if wants_to_carry_on(text):
        return CARRY_ON_BUTTONS
    if sounds_withdrawn(text):
        return CARRY_ON_BUTTONS if request_beside(text) else BUTTONS
    # "never mind, i want to return HG-…", "forget it, i want to change my email": done with the
    # person, asking the assistant (read as still needing the person before: "i want")
    if (_SOUNDS_DONE.search(text) and request_beside(text)
            and not _STILL_FOR_THE_TEAM.search(text) and not _UPSET.search(text)):
        return CARRY_ON_BUTTONS
    return None
