"""The escalation table: customer messages with the decision the product must take.

Each case is the customer's messages in one conversation (the bot answers after each),
the decision expected at the last one, reasons that must all be among the decision's, and
whether the customer is a VIP.
"""

from handoff.escalation import Reason as R

SIMPLE = [
    (["hello"], False, ()),
    (["where is my order HG-100001?"], False, ()),
    (["what are your opening hours?"], False, ()),
    (["how much is delivery to France?"], False, ()),
    (["can I pay with PayPal?"], False, ()),
    (["I'd like to return a lamp I bought"], False, ()),
    (["I forgot my password"], False, ()),
    (["is there a free trial for the Harbor Club?"], False, ()),
    (["how long is the warranty on the kettle?"], False, ()),
    (["thanks, that's great, bye"], False, ()),
    (["can you send me an invoice for my last order?"], False, ()),
    (["I need to change my delivery address"], False, ()),
    (["hi", "where is my order?"], False, ()),
    (["what plans do you have?", "thanks!"], False, ()),
    (["what's your phone number?"], False, ()),
    (["do you deliver to Spain?"], False, ()),
    # account topics: explained, or a form that hands over itself once there is something for
    # a person (an erasure request, a merge the customer wants)
    (["how do I create an account?"], False, ()),
    (["I had trouble signing up"], False, ()),
    (["can you merge my two accounts?"], False, ()),
    (["I want to close my account"], False, ()),
    (["please stop sending me your newsletter"], False, ()),
    (["how do I place an order on your website?"], False, ()),
    (["what does it cost to cancel an order?"], False, ()),
    (["where is my refund?"], False, ()),
]

EMOTIONAL = [
    (["This is absolutely ridiculous, it's the third time I'm asking!!!"], True, (R.NEGATIVE_EMOTION,)),
    (["I am so angry with you people"], True, (R.NEGATIVE_EMOTION,)),
    (["I hate this company, worst service ever"], True, (R.NEGATIVE_EMOTION,)),
    (["You are useless. Totally useless. I'm furious."], True, (R.NEGATIVE_EMOTION,)),
    (["where is my order?", "this is a disgrace, I'm sick of waiting"], True, ()),
    (["hi there, lovely day", "great, thanks", "hmm, I am not happy with this"], True, (R.EMOTION_DROP,)),
    (["my parcel is late", "still nothing, this is really bad", "honestly this is awful"], True, ()),
    (["nobody ever answers my emails, I've had enough of this nonsense"], True, ()),
]

COMPLEX = [
    (["I was charged twice for the same order"], True, (R.BILLING,)),
    (["my refund still hasn't arrived after three weeks"], True, (R.BILLING,)),
    (["someone logged into my account and changed my email"], True, (R.FRAUD,)),
    (["I didn't place this order, it wasn't me"], True, (R.FRAUD,)),
    (["the kettle caught fire and burned my hand"], True, (R.SAFETY,)),
    (["my son got an electric shock from the charger"], True, (R.SAFETY,)),
    (["if this isn't fixed I'm taking you to court"], True, (R.LEGAL,)),
    (["I've spoken to my solicitor about this"], True, (R.LEGAL,)),
    (["I want to make a complaint about your delivery driver"], True, (R.COMPLAINT,)),
    (["blorp fizzle wump", "zzzq vrrp"], True, (R.REPEATED_FALLBACK,)),
    (["what are your opening hours?", "what time are you open?"], True, (R.REPEATED_QUESTION,)),
]

EXPLICIT = [
    (["I want to talk to a person"], True, (R.REQUESTED,)),
    (["can I speak to a human agent please"], True, (R.REQUESTED,)),
    (["get me a real person"], True, (R.REQUESTED,)),
    (["let me talk to someone from customer service"], True, (R.REQUESTED,)),
    (["where is my order?", "I'd rather talk to a human"], True, (R.REQUESTED,)),
]

CASES = [(*case, False) for case in SIMPLE + EMOTIONAL + COMPLEX + EXPLICIT]

# a VIP customer (identity proved): lookups stay with the bot, anything more goes to a person
VIP = [
    (["where is my order?"], False, (), True),
    (["what are your opening hours?"], False, (), True),
    (["is there a fee if I cancel my order?"], False, (), True),
    (["where is my refund?"], False, (), True),
    (["I need to change my delivery address"], True, (R.VIP,), True),
    (["please cancel my order"], True, (R.VIP,), True),
    (["I want to talk to a person"], True, (R.REQUESTED, R.VIP), True),
    (["can I merge my two accounts into one?"], False, (), True),
    (["please delete my account"], True, (R.VIP,), True),
]

CASES += VIP
