"""What the gateway itself says to a customer, when the assistant cannot (author "system").

The assistant's own answers live in Rasa's domain; these few are the gateway's, because
they must work precisely when the assistant is down or cannot read the message.
"""

import math

from conversations.queue_waiting import WaitNews
from conversations.store import TELEGRAM

ASSISTANT_UNAVAILABLE = (
    "Sorry, I can't answer right now. I've saved your message and a member of our team "
    "will pick up this conversation as soon as possible — you don't need to repeat anything."
)


def busy_notice(expected_seconds: float) -> str:
    """Told once to a customer whose turn waits for the assistant longer than usual: the
    wait, instead of a handover to a person."""
    return ("Lots of customers are writing right now; I'll answer in about "
            f"{_rough_duration(expected_seconds)}. You don't need to send your message again.")


def _rough_duration(seconds: float) -> str:
    """5-second steps up to two minutes, then whole minutes (an estimate, not a promise)."""
    if seconds < 120:
        return f"{max(5, 5 * math.ceil(seconds / 5))} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


WAITING_FOR_HUMAN = (
    "Thanks, I've added this to your conversation. A member of our team will reply here."
)


def wait_notice(news: WaitNews) -> str:
    """The answer to "how long will I be waiting?" in the queue."""
    if news.closes is not None:
        return ("Thanks, I've added this to your conversation. Our team is here until "
                f"{news.closes}; if nobody has reached you by then, the first person in will reply "
                f"here {news.reopens}.")
    if news.reopens is not None:
        return ("Thanks, I've added this to your conversation. Our team is away at the moment and "
                f"back {news.reopens}; the first person in will reply here.")
    return ("Thanks, I've added this to your conversation. You're in the queue for our team, and "
            f"the expected wait is {news.wait}. A member of our team will reply here.")


def reply_channel_notice(channel: str) -> str:
    """The answer to "will they reply by email or here?" in the queue: here, and how to find
    the reply after leaving (a web chat's conversation is kept in the browser that started it)."""
    if channel == TELEGRAM:
        return ("Thanks, I've added this to your conversation. A member of our team will reply here "
                "in this Telegram chat, not by email, so you'll get their reply like any other "
                "message: no need to keep the chat open.")
    return ("Thanks, I've added this to your conversation. A member of our team will reply here, "
            "in this conversation, not by email. You can close the page: their reply will be "
            "waiting when you open the chat again in this browser.")


# a customer in the queue who seems sorted is asked before leaving it (buttons:
# conversations.queue_withdrawal)
# (asked the positive way round: "do you no longer need someone?" made a "no, I don't" keep
# the customer in the queue, 4 of 4 in a customer run)
LEAVE_QUEUE_QUESTION = (
    "I've added this to your conversation. Just to check: are you sorted, so that I can take "
    "you out of the queue for our team?"
)
CARRY_ON_QUESTION = (
    "I've added this to your conversation. Just to check: shall I take you out of the queue "
    "for our team, so that we carry on here?"
)
STILL_QUEUED = "No problem, you keep your place in the queue. A member of our team will reply here."
# a queued customer who no longer needs anyone, whose ticket a person must close (a danger, a
# complaint, an upset customer): nothing to press, and no need to wait
KEPT_FOR_THE_TEAM_WHILE_QUEUED = (
    "Thanks, I've added this to your conversation. Because of what you told us, a member of our "
    "team will still look at it and confirm with you here before closing it. You don't need to "
    "wait here for them, and I can answer quick questions in the meantime.")
KEPT_FOR_THE_TEAM = ("A member of our team is already on this and will confirm with you here "
                     "before closing it.")
LEFT_QUEUE = "Done: you're out of the queue, and the team knows. Write here if you need anything else."
LEFT_QUEUE_TO_CARRY_ON = "Done: you're out of the queue, and the team knows."
# the assistant could not say what comes next (it is down): the customer's next message tries again
WRITE_WHAT_YOU_NEED = "Write here what you need and I'll help."
LEFT_QUEUE_FOR_REQUEST = "Done: you're out of the queue, and the team knows. Now, to what you asked:"
NOT_QUEUED = "You're no longer waiting for our team. I'm here if you need anything else."

NON_TEXT = {
    "photo": "Thanks for the photo! I can only read text, so please describe what it shows "
             "in a few words — or type \"human\" to reach a person who can look at it.",
    "sticker": "Nice sticker! How can I help you today? You can ask me about an order, "
               "returns, delivery or our plans.",
    "location": "Thanks for sharing your location. If it's about a delivery address, tell "
                "me the order number and I'll help you change it.",
    "other": "I can only read text messages for now. Please type your question and I'll "
             "help straight away.",
}


def non_text_notice(kind: str) -> str:
    return NON_TEXT.get(kind, NON_TEXT["other"])
