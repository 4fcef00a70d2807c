"""The risk matcher's rules on their own (the table in test_escalation covers whole
conversations against the trained model): the noisy register, risks that need two things
said together, and phrases that count only when the sentence is not glad; and courtesies,
which the sentiment does not read as upset."""

import pytest

from handoff.emotion import (BEREAVEMENT, BILLING, BUSINESS, CHURN, EVIDENCE, FRAUD, LEGAL, REPEAT_CONTACT, SAFETY,
                             normalise, shared_analyser, unstarred, without_courtesies)
from handoff.escalation import NEGATIVE, VERY_NEGATIVE


def risks(text):
    return shared_analyser().analyse(text).risks


def test_normalising_spells_out_the_noisy_register():
    assert normalise("Im done, DONT care") == "i am done, do not care ."
    assert normalise("ur bot cant help u!") == "your bot can not help you!"
    assert normalise("signedfor by sum1 else, thrid time i recieved nothing") == (
        "signed for by someone else, third time i received nothing .")
    assert normalise("still waitin on my refund") == "still waiting on my refund ."
    # real apostrophes are left to the tokenizer, and words with a second meaning alone
    assert normalise("I’m sure it's ill.") == "i'm sure it's ill."
    # documents and products whose names hold an evidence word are not evidence
    assert normalise("proof of purchase for my Photo Frame?") == "purchase receipt for my frame?"


@pytest.mark.parametrize("text, risk", [
    ("tracking says signed for, but that isn't my signature", EVIDENCE),
    ("tracking says signed for but that isnt my signiture", EVIDENCE),
    ("im done w u lot, shopping elsewere from now on", CHURN),
    ("never orderin from you again", CHURN),
    ("3rd time im asking about my refund", REPEAT_CONTACT),
    ("need to renew our contarct asap", BUSINESS),
    ("cancel my acc cos ur useless", CHURN),
    ("thats it im off to amazon", CHURN),
    ("it sez deliverd but i wasnt home", EVIDENCE),
    ("driver pic shows some random door", EVIDENCE),
    ("need to up our bulk discount", BUSINESS),
    ("im sick of chasing this", REPEAT_CONTACT),
    ("i emailed last wk and heard nothin back", REPEAT_CONTACT),
    ("I already sent you an email about this", REPEAT_CONTACT),
    ("already sent a message yesterday", REPEAT_CONTACT),
    ("i already had a call with you about this", REPEAT_CONTACT),
])
def test_the_noisy_register_names_the_same_risks(text, risk):
    assert risk in risks(text)


def test_a_dispute_needs_evidence_and_a_contradiction():
    assert EVIDENCE not in risks("does the parcel need to be signed for?")  # evidence alone
    assert EVIDENCE not in risks("it never arrived")  # contradiction alone
    assert EVIDENCE in risks("it was signed for but it never arrived")
    assert EVIDENCE not in risks("can someone else sign for it if I'm not home?")
    assert EVIDENCE not in risks("my Pixel Photo Frame never arrived")


def test_a_business_matter_needs_a_contract_or_a_change():
    assert BUSINESS not in risks("do you do bulk orders for businesses?")
    assert BUSINESS in risks("we need to increase our bulk discount")
    assert BUSINESS in risks("our contract runs out in March")
    assert BUSINESS not in risks("is there a minimum contract for the Harbor Club?")


def test_praise_is_not_a_threat():
    assert CHURN not in risks("I'll tell all my friends how great you are!")
    assert CHURN in risks("I'll tell all my friends how badly you treat customers")
    assert REPEAT_CONTACT not in risks("I spoke to Jake yesterday and he was brilliant, thank you")
    assert REPEAT_CONTACT in risks("I spoke to someone yesterday and nothing has happened")


def test_how_often_the_shop_writes_is_no_repeat_contact():
    """A customer run: a VIP's "thanks! how often will you email me?" after the newsletter
    sign-up went to a person as a repeat contact."""
    assert REPEAT_CONTACT not in risks("thanks! how often will you email me?")
    assert REPEAT_CONTACT not in risks("how many emails will you send me a month")
    for text in ("how many times do I have to call you", "how many more times will i have to explain this",
                 "how often do we have to chase you"):
        assert REPEAT_CONTACT in risks(text), text


def test_threatening_never_to_order_again_is_churn_not_fraud():
    assert risks("I will never order from you again") == frozenset({CHURN})
    assert FRAUD in risks("I never ordered this")
    assert FRAUD not in risks("i dont want to order it any more")
    # someone did something, not someone asked to do something
    assert FRAUD in risks("a stranger got into my account")
    assert FRAUD not in risks("can someone change my address for me")
    # asks for a person, no more (handoff.emotion.PERSON_ASKED)
    assert risks("Can I speak to someone about yesterday's order") == frozenset({"requested_human"})
    # a person asked to look at something (a customer run: the proof was asked instead, 3 of 4)
    for asked in ("can someone from ur team check my refund pls its been 2 weeks",
                  "id like a human to look at my refund for HG-100142", "i want a person to look at my refund"):
        assert "requested_human" in risks(asked), asked
    assert "requested_human" not in risks("i dont want a person to look at it, just tell me")
    assert "requested_human" not in risks("can someone help me with my order")


@pytest.mark.parametrize("text", [
    "don't contact me again", "I don't want to hear from you again", "I wouldn't recommend you",
    "leave it with my neighbour please", "where can I leave a review", "can I leave the club any time?",
    "please close my account", "I need an invoice with my companys name on it",
    "Can my business pay on account instead of by card?", "I haven't heard anything since I ordered",
    "how do i leave harbor club", "I've ordered from you three times and always been happy",
    "The tracking says delivered, thank you so much!", "does it hav to be signed for",
    "I'm leaving for holiday tomorrow, can you hold my parcel?", "is there proof of delivery?",
    "what's in the Harbor Club contract?", "can you send me a photo of the product in red?",
    "can I ask about the order from yesterday", "can you email me the invoice from last week",
])
def test_calm_messages_name_no_new_risk(text):
    assert not risks(text) & {CHURN, EVIDENCE, BUSINESS, REPEAT_CONTACT}


def score(text):
    return shared_analyser().analyse(text).score


@pytest.mark.parametrize("text", [
    "I hate to bother you but where is my refund", "sorry to bother you, where is my order",
    "Sorry to trouble you, can I change my address", "I hate to ask but can you check my order",
    "I dont mean to be a pain but has my order shipped", "so sorry to bug u again, wheres my refund",
    "sorry for bothering you guys, can I change my address",
    "I don\u2019t want to bother you, but where is my order",  # a curly apostrophe
])
def test_an_apology_for_asking_is_no_upset(text):
    # VADER alone scores these -0.33 to -0.47: "hate", "sorry", "bother", "trouble"
    assert score(text) > NEGATIVE


@pytest.mark.parametrize("text, upset", [
    # a customer run: after the grinder's care, handed to a person as upset
    ("what if it's broken?", False), ("and what happens if it arrives damaged?", False),
    ("ok. if it stops working after a year, is that covered?", False),
    # told, not asked about: as before
    ("it's broken", True), ("if it's broken again I'm done with you", True),
    ("what if it's broken? this is the third time it's broken, I'm furious", True),
])
def test_a_question_about_what_would_happen_tells_no_feeling(text, upset):
    assert (score(text) <= NEGATIVE) is upset, score(text)


@pytest.mark.parametrize("text", [
    "sorry to bother you, but this is ridiculous, where is my order",
    "Sorry to bother you. Your service is terrible.",
    "I hate to ask again but I'm really annoyed, where is my refund",
    "I hate waiting, where is my order", "sorry but this is ridiculous",
    # "bothered" is no apology for asking
    "you clearly hate to be bothered",
    "I don't want to be bothered by your sales calls anymore, stop it",
])
def test_what_comes_with_a_courtesy_still_counts(text):
    assert score(text) <= NEGATIVE


@pytest.mark.parametrize("text, upset", [
    ("I ordered the wrong colour by mistake", False), ("my mistake, I put in the wrong postcode", False),
    ("I accidentally ordered two", False),
    # correcting what they typed: "sorry wrong one, cancel HG-… instead" scored -0.66 and a
    # customer switching orders at the cancellation question was handed to a person
    ("sorry wrong one, cancel HG-100105 instead", False),
    ("oops thats the wrong number, its HG-100003", False), ("sorry I meant HG-100003", False),
    ("sorry but you sent the wrong one!! useless", True),
    # the company's mistake is still one
    ("your mistake has ruined my weekend and I'm furious", True),
    ("this is the wrong colour AGAIN, what a terrible mistake by you people", True),
    # how it fits, told as the reason to send it back (a customer run: -0.63, and a returnable
    # order went to a person); what was sent wrong stays upsetting
    ("hi i got my order HG-100003 but the jacket is the wrong size, can i send it back?", False),
    ("the trainers are the wrong size, how do I return them", False),
    ("you sent the wrong size!!", True),
])
def test_the_customers_own_slip_is_no_upset(text, upset):
    # "I ordered the wrong colour by mistake" scored -0.67 and went to a person as very upset
    assert (score(text) <= VERY_NEGATIVE) is upset


@pytest.mark.parametrize("text, negative", [
    # a customer run: "I'm sorry about this. Let's get it sorted." to a change taken back
    ("no i dont want to delete it actually", False), ("no thanks i dont want to cancel", False),
    ("no i don't want to close my account after all", False),
    # ... but not to a grievance told with it
    ("i dont want to cancel but your service is appalling", True),
])
def test_a_change_taken_back_is_no_upset(text, negative):
    assert (score(text) <= NEGATIVE) is negative


@pytest.mark.parametrize("text, negative", [
    # switching orders mid-task got "Sorry to hear that" (3 of 3 in a customer run)
    ("hang on wrong order number. HG-100186", False), ("oh wait, wrong order i meant HG-100104", False),
    ("wait wrong order, i meant HG-100113", False),
    ("wait, you sent the wrong one", True), ("hang on, you sent the wrong order", True),
    ("scratch that, I gave you the wrong order", False), ("you gave me the wrong order", True),
])
def test_a_customer_correcting_the_order_they_named_is_not_upset(text, negative):
    assert (score(text) <= NEGATIVE) is negative


@pytest.mark.parametrize("text, asked", [
    ("this is ridiculous my order HG-100192 is late AGAIN i want a human NOW", True),
    ("my order HG-100202 is late again, let me speak to a real person", True),
    ("agent pls", True), ("give me a human", True), ("i need to speak to someone", True),
    ("I don't want to talk to a human", False), ("no need to speak to someone, just tell me", False),
    ("a person from your team said it would come today", False), ("can you get someone to collect it", False),
    ("i need a person to sign for it?", False), ("the agent at the door was rude", False),
    ("speak to the courier", False),
    # from a review: someone else's person, a thing, or the asking taken back
    ("we want an agent dashboard for our team", False), ("I want a person to deliver it not a locker", False),
    ("I want the human touch", False), ("the courier told me to talk to a manager at the depot", False),
    ("talk to someone at the post office", False), ("can you get me a person to sign for it", False),
    ("I don't really want to speak to a person", False),
    ("no i want a human", True), ("this is not good I want a human", True), ("Not happy. Human please", True),
    # a VIP's account manager (a customer run: not read as a request)
    ("put me through to my account manager please", True), ("can I speak to my account manager?", True),
    ("me, I'm the ops manager, Sam", False), ("our account manager said it was fine", False),
])
def test_a_person_asked_for_in_words_whatever_the_intent(text, asked):
    # read as an order question, "...late AGAIN i want a human NOW" got "not sure I understood"
    assert ("requested_human" in risks(text)) is asked


@pytest.mark.parametrize("text, disputed", [
    ("what?? i didnt cancel it", True), ("I never cancelled my order", True), ("i didnt cancel", True),
    ("i didnt cancel my order, who did?", True),
    ("I didn't cancel in time, can I still?", False), ("didnt cancel it yet", False),
    # from a review: the company's failure to cancel is no security worry
    ("you didn't cancel it like I asked", False), ("you guys didnt cancel my order even though I asked", False),
    ("didn't cancel it sadly", False),
    ("I didn't cancel my order before it shipped", False), ("why was my order cancelled", False),
])
def test_a_cancellation_the_customer_did_not_make_is_a_security_worry(text, disputed):
    # "what?? i didnt cancel it" got "already cancelled, nothing left to cancel" and no person
    assert ("fraud" in risks(text)) is disputed


@pytest.mark.parametrize("text, negative", [
    # each got "Sorry to hear that" before a plain answer (6 of 8 in a customer run)
    ("nothing's wrong, I just want to update my phone number", False),
    ("hang on, will I be charged anything for cancelling?", False), ("I was charged twice!!", True),
    ("dont want to buy the wrong one", False), ("struggling to find the returns page", False),
    ("something is wrong with my order", True), ("you sent the wrong one", True),
    # a second customer run: handed to a person with "That sounds frustrating"
    ("and if I cancel premium do i lose the warranty", False), ("you lost my parcel, I'm fuming", True),
    # a third: the polite softener and a missing order number, said to the order lookup
    ("No order number I'm afraid", False), ("no order number, im afraid.", False),
    ("I'm afraid it arrived broken and I'm furious", True),
    ("nah i'm not a student lol", False), ("you lost my parcel and im not happy lol", True), ("no idea lol", False),
    # a fourth: a fee named, after a gift's delivery asked about, went to a person
    ("will he have to pay any import charges when it arrives?", False), ("do i pay delivery charges?", False),
    ("i was hit with import charges of 40 quid, outrageous", True),
    ("there were hidden charges i was never told about!", True),
    ("why am i paying extra charges?? this is a rip off", True),
])
def test_words_that_say_there_is_no_trouble_are_no_upset(text, negative):
    assert (score(text) <= NEGATIVE) is negative


@pytest.mark.parametrize("text, negative", [
    # "no thanks" to "should I ask a person?" after "ugh this is taking ages" read as a second
    # upset turn and handed the customer over (2 of 2 in a customer run)
    ("no thanks", False), ("No thank you", False), ("no its ok", False), ("nah", False),
    ("no thanks, that's all", False), ("no", False),
    ("no, it's broken again", True), ("no thanks, you've been useless", True),
])
def test_a_plain_decline_is_no_upset(text, negative):
    assert (score(text) <= NEGATIVE) is negative


@pytest.mark.parametrize("text, negative", [
    # asked where a return's reason was asked, -0.64: handed to a person
    ("what's the difference between faulty and damaged?", False), ("does a scratch count as damaged?", False),
    ("what does 'damaged' mean", False), ("it arrived damaged and I'm furious", True),
    ("is a crack faulty or damaged?", False), ("whats the diffrence between faulty n damaged", False),
])
def test_a_question_about_which_kind_of_problem_is_no_upset(text, negative):
    assert (score(text) <= NEGATIVE) is negative


@pytest.mark.parametrize("text, leaving", [
    # a delivery somewhere else was a threat to leave: "I'm really sorry... frustrating" and a
    # person (3 of 5 wordings of an address change in a customer run)
    ("can i get order HG-100143 delivered somewhere else please", False),
    ("is it possible to have my order delivered elsewhere?", False),
    ("i'll order elsewhere from now on", True), ("ill just buy it somewhere else", True),
])
def test_a_delivery_somewhere_else_is_no_threat_to_leave(text, leaving):
    assert ("churn_threat" in risks(text)) is leaving


@pytest.mark.parametrize("text, missing", [
    # each got "check with neighbours", or "not sure I understood" (a customer run)
    ("came today but the box was empty?!", True), ("i HAVE the box theres just nothing inside it", True),
    ("HG-100154 arrived but there was only one speaker in the box, I ordered two", True),
    ("the speaker is missing?? order HG-100004", True), ("my order HG-100104 came but one thing is missing", True),
    ("you sent me an empty box", True),
    ("what if something is missing?", False), ("is anything missing from my order?", False),
    ("can I get an empty box for my return", False), ("my parcel is missing", False),
    ("nothing in my account", False),
    # a second customer run
    ("only one of the two lamps came in HG-100108", True), ("HG-100154 arrived but the headphones werent in it", True),
    ("I only got the lamp, the speaker from HG-100101 never came", True), ("the charger wasnt in the box", True),
    ("it wasn't in the email", False), ("i only got the confirmation email", False),
])
def test_items_missing_from_a_delivered_parcel(text, missing):
    assert ("missing_items" in risks(text)) is missing


@pytest.mark.parametrize("text, regretted", [
    # "I just cancelled HG-… by mistake, can you undo it??" got "already cancelled, nothing
    # left to cancel" and no person (a customer run)
    ("I just cancelled HG-100146 by mistake, can you undo it??", True), ("i accidentally cancelled my order", True),
    ("please undo the cancellation", True), ("i didnt mean to cancel it", True),
    ("what if I cancel by mistake?", False), ("I ordered the wrong one by mistake, can I cancel", False),
    ("can I cancel my order", False), ("i hit cancel by mistake", True),
    ("i cancel it by mistake earlier, can you undo", True), ("oops I cancel my order by accident", True),
    # a customer run: "I'm sorry, I can't undo a cancellation myself" and a person, for nothing
    ("please dont cancel my order HG-100001 by mistake, i only want to update the address", False),
])
def test_a_cancellation_regretted_in_so_many_words(text, regretted):
    assert ("cancellation_regretted" in risks(text)) is regretted


def test_only_the_courtesy_itself_is_taken_out():
    assert without_courtesies("sorry to bother your team, where is my order") == \
        " your team, where is my order"
    assert without_courtesies("Sorry to bother you again!!!") == " again!!!"


@pytest.mark.parametrize("text", ["I ordered the wrong size", "I must have bought the wrong one",
                                  "we typed in the wrong postcode"])
def test_a_wrong_choice_of_ones_own_is_not_negative(text):
    # "wrong" scored -0.48, and after "can you help me with something" (+0.40) that was a
    # sharp drop, handed to a person
    assert score(text) > NEGATIVE


@pytest.mark.parametrize("text", ["I got the wrong item", "you sent the wrong size", "they delivered the wrong colour"])
def test_what_was_sent_wrong_is_still_negative(text):
    assert score(text) <= NEGATIVE


def test_a_hyphenated_compound_is_one_word():
    """Half of "anti-fraud" is not "fraud": compounds are joined before the words are read,
    and then read like run-together words ("e-mailed" is "emailed")."""
    assert normalise("is it anti-fraud and hack-proof?") == "is it antifraud and hackproof?"
    assert normalise("I e-mailed you") == "i emailed you ."
    # order numbers, ratings and terms keep their hyphen
    assert normalise("HG-100001 got a 1-star, 30-day") == "hg-100001 got a 1-star, 30-day ."
    # a word of its own is no dropped g ("raisin" is not "raising")
    assert normalise("raisin bread") == "raisin bread ."


@pytest.mark.parametrize("text, risk", [
    ("does checkout have anti-fraud protection?", FRAUD), ("is the smart lock hack-proof?", FRAUD),
    ("the hazard-free paint", SAFETY), ("a smoke-free room please", SAFETY),
])
def test_half_a_compound_names_no_risk(text, risk):
    assert risk not in risks(text)


@pytest.mark.parametrize("text, risk", [
    ("I e-mailed you twice already", REPEAT_CONTACT), ("I was double-charged", BILLING),
    ("im fed-up of chasing this", REPEAT_CONTACT), ("that heater is a fire-hazard", SAFETY),
])
def test_a_compound_that_names_a_risk_still_does(text, risk):
    assert risk in risks(text)


def test_starred_swearing_is_read_as_the_word():
    assert unstarred("WHERE THE F*** IS MY REFUND") == "WHERE THE FUCK IS MY REFUND"
    assert unstarred("this f**king sh*t service, f*ck") == "this fucking shit service, fuck"
    assert unstarred("5*** hotel, a*b") == "5*** hotel, a*b"  # no swear word fits
    # VADER read a starred word as nothing
    assert score("sh*t service") <= VERY_NEGATIVE
    assert score("this is f**king ridiculous") < score("this is ridiculous")


@pytest.mark.parametrize("text, risk", [
    # the legal threat's wider gap
    ("I will report you to the police", LEGAL), ("reporting u to the regulator", LEGAL),
    # "sue" the verb
    ("I will sue you", LEGAL), ("im gonna sue", LEGAL), ("we'll sue your company", LEGAL),
    ("I'm suing", LEGAL),
    # fraud needs what was ordered named
    ("I never ordered this", FRAUD), ("i didnt order any of this", FRAUD),
    # a gift questioned or denied is no gift received (a review)
    ("I never ordered this and you have charged my card, it isn't a gift", FRAUD),
    ("I never ordered this, is it a gift?", FRAUD),
    ("I didn't buy anything, what is this payment", FRAUD), ("I didn't authorise the payment", FRAUD),
    # churn said another way
    ("ur a joke, taking my money to john lewis from now on", CHURN), ("I'm leaving for good", CHURN),
    ("you just lost a customer.", CHURN), ("I'm leaving after 10 years with you", CHURN),
    ("I've told my friends not to go there", CHURN), ("leaving a 1 star on trustpilot tonite", CHURN),
    # a hyphenated star count, joined like other compounds, is still a bad review
    ("I'm leaving a one-star review", CHURN), ("leaving a zero-star review for this", CHURN),
    ("half-star review incoming", CHURN), ("1-star review going up tonight", CHURN),
    ("nothing is ever in stock, im shopping elsewhere from now on", CHURN),
    ("why is nothing in stock? I'm taking my business elsewhere", CHURN),
    # evidence with "else's" and "next door's"
    ("the photo is literally of someone elses front door mate", EVIDENCE),
    ("the pic is of next doors bin", EVIDENCE), ("signed by J SMITH?? i dont know any j smith", EVIDENCE),
    ("the tracking said delivered but it never came", EVIDENCE),
    # billing: a double charge, a refund a month late
    ("you charged me double!", BILLING), ("where the f*** is my refund its been a month", BILLING),
    ("you sent me the wrong bill", BILLING),
    # a change to the account the customer did not make (a customer run: the clarification)
    ("got an email saying my password was changed but i didnt do it", FRAUD),
    ("my email address was changed and I never did that", FRAUD),
    ("my password was changed without my permission", FRAUD),
    # an account opened by someone else (a customer run: the gift cards' lost email)
    ("but what if someone else made it with my email? that's worrying", FRAUD),
    ("someone has created an account in my name", FRAUD),
    # a delivery paid for and not given (a customer run: the delivery areas)
    ("wednesday?? i paid for next day delivery! i want my delivery money back", BILLING),
    ("refund me the delivery fee, it came 3 days late", BILLING),
    # repeated contact: the weekday without its "on"
    ("rang u monday, emailed tuesday, still nothin", REPEAT_CONTACT),
    ("still waiting for a call back from you", REPEAT_CONTACT),
    # a smoke alarm is a danger, in a stock question too (a faulty one is; the false alarm of
    # "is the smoke alarm in stock?" is the lesser harm)
    ("the toaster set off the smoke alarm", SAFETY), ("the smoke alarm you sold me never goes off", SAFETY),
    ("the kettle is on fire alarm is going off", SAFETY), ("my kettle started to smoke", SAFETY),
    ("is the smoke alarm in stock? the one you sold me never goes off", SAFETY),
    ("when will the heater be back in stock the old one triggered the smoke alarm", SAFETY),
    # a fire put out, or the fire brigade called or come
    ("I had to use the fire extinguisher on the toaster", SAFETY), ("put it out with the extinguisher", SAFETY),
    ("threw a fire blanket over the pan, the hob is faulty", SAFETY), ("used the fire blanket on the chip pan", SAFETY),
    ("had 2 grab the fire extinguisher wen the air fryer went up", SAFETY),
    ("had to call the fire brigade because of your heater", SAFETY), ("the fire crew came out", SAFETY),
    ("the firemen said the kettle wiring was faulty", SAFETY), ("had to put the fire out myself", SAFETY),
    ("had to put out a fire in the kitchen because of your toaster", SAFETY),
    # the fire brigade named at all, flames, fires started, 999 called
    ("the fire brigade was called", SAFETY), ("firemen were here", SAFETY), ("the fire man came", SAFETY),
    ("the fire service's investigator said it was your dryer", SAFETY), ("fire brigade investigating", SAFETY),
    ("we smothered it with a fire blanket", SAFETY), ("i put a fire blanket over it", SAFETY),
    ("grabbed the extinguishr and put it out", SAFETY), ("had 2 use the extinguser on the toaster", SAFETY),
    ("the hob burst into flames last night", SAFETY), ("flames came out the back of the microwave", SAFETY),
    ("my phone charger set fire to the carpet", SAFETY), ("the lamp set my curtains alight", SAFETY),
    ("the air fryer started a fire in my kitchen", SAFETY), ("fire started in the dryer", SAFETY),
    ("we had a fire because of your heater", SAFETY), ("there was a house fire caused by the e-bike battery", SAFETY),
    ("rang 999 the heater was in flames", SAFETY), ("i had to call 999", SAFETY), ("the fan heater blew up", SAFETY),
    ("i burned my hand on the toaster", SAFETY), ("the toaster burned my son's fingers", SAFETY),
])
def test_the_risk_is_named(text, risk):
    assert risk in risks(text)


@pytest.mark.parametrize("text, risk", [
    ("Sue in your Leeds store said I could return it here", LEGAL), ("I spoke to Sue yesterday", LEGAL),
    ("is the velvet armchair available in burnt orange?", SAFETY), ("do you do it in smoked oak", SAFETY),
    # food burnt by a toaster is a fault (a customer run: "call 999" and a person, 2 of 2)
    ("your toaster is shit, it burns everything even on setting 1", SAFETY),
    ("keeps burning the toast even on low", SAFETY), ("the toast always comes out burnt", SAFETY),
    ("ive never ordered from you before, how does delivery work", FRAUD),
    ("i didnt order enough paint", FRAUD), ("I've never bought anything from you", FRAUD),
    # a gift's recipient: a return, not someone else in the account (a customer run)
    ("I didn't order it, it was a gift", FRAUD),
    ("i didnt buy this, it was a present from my mum and i want to return it", FRAUD),
    ("ill shop elsewhere if its out of stock? when is the grey sofa back in", CHURN),
    ("is the oak table in stock or will i have to look elsewhere", CHURN),
    ("i lost my customer number, where do i find it", CHURN),
    ("can you tell the driver not to go round the back, the dog is loose", CHURN),
    ("has the green colour gone for good?", CHURN),
    ("im leaving after 5 tmrw, can the driver come before then?", CHURN),
    ("i put the wrong billing address in", BILLING),
    ("when will i be charged for the double duvet cover?", BILLING),
    ("still waiting for an email to confirm my order, is that normal?", REPEAT_CONTACT),
    ("the text said theyd deliver today but it hasnt come yet, any news?", EVIDENCE),
    ("where is my refund, I sent it back last week", BILLING),
    ("do i get the delivery fee back if i return it?", BILLING), ("how much is the delivery fee", BILLING),
    ("do i get my delivery money back if i return it?", BILLING),
    ("someone made a mistake with my order", FRAUD), ("can someone set up my account for me", FRAUD),
    ("can someone help, i made an account with the wrong email", FRAUD),
    ("my password was changed but the new one doesn't work", FRAUD),
    ("i changed my password but it's not working", FRAUD),
    # a review: reset trouble, a number changed
    ("my password reset email didnt arrive", FRAUD), ("I asked for a password reset but didnt get the email", FRAUD),
    ("password reset link don't work", FRAUD), ("my phone number has changed, do not text the old one", FRAUD),
    ("my email has changed, i never got the order confirmation", FRAUD),
    ("do you refund the delivery fee on returns?", BILLING),
    ("if i cancel do you refund my delivery charge?", BILLING),
    # questions about fire safety kit, and toys
    ("do you sell fire extinguishers?", SAFETY), ("is the fire tv stick in stock", SAFETY),
    ("does the hob come with a fire blanket?", SAFETY), ("how do i use a fire extinguisher", SAFETY),
    ("put a fire blanket in my basket please", SAFETY), ("can i pay with paypal? fire blanket is what i want", SAFETY),
    ("im happy with the fire extinguisher thanks", SAFETY), ("do you have fireman sam duvet covers", SAFETY),
    ("the toy fire engine arrived broken", SAFETY), ("is the lego fire engine back in stock?", SAFETY),
    ("can you call me about the fire pit order", SAFETY), ("can I put it out with the recycling", SAFETY),
    ("I have to get a fire blanket for my new flat, which one do you recommend", SAFETY),
    ("do you sell kitchen fire blankets", SAFETY), ("do you have a flame red kettle", SAFETY),
    ("i had a fire pit delivered yesterday", SAFETY), ("my husband is a firefighter, is there a discount", SAFETY),
    ("my kindle fire wont charge", SAFETY), ("my son blew up the paddling pool and it has a hole", SAFETY),
])
def test_the_risk_is_not_named(text, risk):
    assert risk not in risks(text)


def test_putting_in_the_wrong_details_oneself_is_no_upset():
    # "wrong" scored -0.48, as in "I put in the wrong postcode" (already taken out)
    assert score("I put the wrong billing address in") > NEGATIVE


@pytest.mark.parametrize("text", [
    "my mum passed away last month and I need to close her account",
    "my dad died last week, can you cancel his orders",
    "my late husband's account is still getting your emails",
    "we had a death in the family",
    "i'm the executor of my father's estate",
    "the account holder is deceased",
    "lost my wife in march and she had a plus membership",
    "my grandad is dying and wanted this for christmas",
    # found by a review: each was missed, and "my father passed recently and I need to close
    # his account" got the erasure flow for the customer's own account
    "my father passed recently and I need to close his account", "my husband passed last week",
    "my mom has sadly passed", "my grandmother passed on", "my dad is dead", "dad's dead", "She's died",
    "my hubby died", "my brother in law died", "my mother-in-law died", "my mum pased away",
    "my grandad is no longer with us", "I'm the executor", "the funeral is on friday, will it arrive",
])
def test_a_loss_is_read_as_bereavement(text):
    assert BEREAVEMENT in risks(text)


@pytest.mark.parametrize("text", [
    "my headphones died after a week", "my son passed his driving test, i want a gift",
    "lost my son's parcel", "my son's phone died", "the battery died", "i lost my password",
    "passed the order number on to my wife", "my phone is dying", "can i send it to my mum",
    "my late order still isn't here", "lost my parcel",
    # found by a review: each went to a person at high priority, "so sorry for your loss"
    "my son is dying to get the lego fire station for christmas, is it in stock?",
    "is the ceramic vase suitable as a funeral gift?", "I need black clothes for a funeral",
    "my daughter saw the unicorn lamp and she died laughing, do you have it in pink?",
    "my daughter is dying to know when it comes", "my baby is dying of cold without this heater",
    "do you sell condolences cards", "my sister just passed her driving test", "the new law passed",
])
def test_a_device_that_died_or_a_parcel_lost_is_no_bereavement(text):
    assert BEREAVEMENT not in risks(text)


@pytest.mark.parametrize("text", [
    "I just want to end it all", "I can't go on like this", "i feel like i cant go on, everything is falling apart",
    # a customer run: read as frustration, with no help numbers
    "honestly im at the end of my tether, i cant cope anymore",
    "sorry im in a really dark place right now and i cant cope with anything",
    "I can't cope", "i'm at the end of my tether, i can't cope",
])
def test_words_of_not_coping_are_a_crisis(text):
    assert "crisis" in risks(text)


@pytest.mark.parametrize("text", ["I cut myself on the broken glass of the lamp",
                                  "hurt myself lifting the box", "that cake stand is to die for",
                                  "can you end my subscription", "I'm dying to get one",
                                  "I can't go on holiday without my suitcase",
                                  "what's the point of the premium plan",
                                  "I don't want to be here waiting all day",
                                  "I can't cope with this website", "the box is in a dark place in the shed",
                                  "i cant cope without my coffee machine, when is it coming"])
def test_an_injury_or_a_figure_of_speech_is_no_crisis(text):
    assert "crisis" not in risks(text)


@pytest.mark.parametrize("text", [
    "sorry I get confused easily, I have dementia and my daughter usually helps me with this",
    "i'm sorry i'm partially sighted and really struggling to read all this",
    "I'm registered blind", "im deaf so i cant phone you", "I have a learning disability",
    "my carer normally does this for me", "I had a stroke last year and typing is hard",
    "my memory problems make this hard",
    # from a customer run: money trouble or someone ill got "not something I can help with"
    "lost my job and money is really tight, how do i stop the club payments asap",
    "im struggling to pay my bills right now and the harbor club charge keeps coming out",
    "i cant afford the membership anymore", "im in debt and need to cancel all subscriptions",
    "I'm a carer on a low income, can you help me cancel",
    "my dad is really ill and i'm helping him, he wants to cancel harbor club",
    "my mum is in hospital and i'm trying to sort her harbor club out",
    "feeling really low today and this membership thing is the last straw",
    "hi, my dad's just been taken into intensive care, can you cancel my club membership",
    # a later run: a serious illness got a complaint's "that sounds frustrating", or nothing
    "my wife has just been diagnosed with cancer and we cant use the kettle, can i return it, HG-100126",
    "im signed off sick with depression and want to close my account",
    "ive got long covid and been stuck in bed for weeks, can i return HG-100004",
    "having chemo at the moment and cant get to the post office", "i was diagnosed with MS last year"])
def test_a_condition_that_makes_this_hard_is_extra_support(text):
    # the identity question came again: "I didn't see an email address or a postcode in that"
    assert "vulnerable" in risks(text)


@pytest.mark.parametrize("text", ["is the lamp good for people with depression", "the kettle was diagnosed with a fault",
                                  "do you sell a light for seasonal depression"])
def test_an_illness_named_in_a_product_question_is_none(text):
    assert "vulnerable" not in risks(text)


@pytest.mark.parametrize("text", [
    "i need to cancel HG-100103 and i really dont want to be put through to someone, no humans pls",
    "no humans pls just cancel HG-100103",
])
def test_not_wanting_a_person_is_no_feeling(text):
    """A customer run: read as upset (-0.60) beside a cancellation, "that sounds frustrating"
    and a person until Monday, nothing cancelled (2 of 2)."""
    assert score(text) > -0.3


def test_someone_close_in_hospital_is_no_safety_incident():
    # "my mum is in hospital and i'm trying to sort her harbor club out" got "Safety comes
    # first: ... stop using the product and call 999"
    assert "safety" not in risks("my mum is in hospital and i'm trying to sort her harbor club out")
    assert "safety" in risks("my son ended up in hospital after the kettle burst")
    assert "safety" in risks("he was taken to hospital last night")
    # from a review: the customer's own stay, or work, or a delivery there
    for text in ("I'm in hospital, can you deliver to my neighbour", "I work in hospital",
                 "deliver to the hospital reception"):
        assert "safety" not in risks(text), text


@pytest.mark.parametrize("text", ["I'm confused about the delivery charge",
                                  "the instructions are confusing", "is the lamp easy to see at night?",
                                  "I can't see my order in my account", "my daughter helps me out sometimes",
                                  # from a review: each was handed to a person and kept in the queue
                                  "can you check my support request from Monday?",
                                  "I'm struggling to use the discount code at checkout",
                                  "I'm so confused about my refund, it says pending",
                                  "my phone always does this when I try to pay",
                                  "the SD card has memory issues",
                                  "cant afford next day delivery tbh", "is there anything more affordable",
                                  "the heater is sick, love it", "my job is to buy the office supplies",
                                  # from a review
                                  "she's sick of waiting for this order",
                                  "my friend is sick and I ordered her a gift, can it be gift wrapped",
                                  "low income discount?", "I lost my job card", "my phone is feeling low on battery"])
def test_a_plain_confusion_is_no_call_for_extra_support(text):
    assert "vulnerable" not in risks(text)


@pytest.mark.parametrize("text", [
    "can i get it delivered to a PO box",  # VADER's "po" is "pissed off"
    "ive lost the receipt is that a problem",
    "wrong order, its HG-100003 i want cancelled",
    "oh no thats the wrong email, i use alice.m.work@example.com for my account",
    "actually forget it, ill keep the old one",
    "sorry typed the wrong email, its alice.m.work@example.com",
])
def test_a_plain_question_or_correction_is_not_very_upset(text):
    # each went to a person as very upset ("I'm really sorry. That sounds frustrating…")
    assert score(text) > VERY_NEGATIVE


@pytest.mark.parametrize("text", [
    # a customer run: met with "I'm sorry about this. Let's get it sorted."
    "is your website accessible with a screen reader, my dad is blind",
    "do you sell roller blinds? the blind in my kitchen needs replacing",
])
def test_a_condition_or_a_window_blind_is_no_feeling(text):
    assert score(text) > NEGATIVE


@pytest.mark.parametrize("text", ["wrong order!! you sent me someone elses stuff",
                                  "forget it, this is useless",
                                  "you lost my parcel, is that a problem for you?",
                                  # from a review: the correction's words must not hide these
                                  "wrong order, its ridiculous",
                                  "wrong one, it's broken AGAIN and nobody helps"])
def test_a_grievance_near_those_words_still_counts(text):
    assert score(text) <= VERY_NEGATIVE


@pytest.mark.parametrize("text", [
    "great, just great. the toaster from HG-100215 arrived in bits. fantastic packaging guys 👏",
    "brilliant job by your courier, left my parcel in the rain and it's soaked. well done 👍",
    "love how my headphones stopped working after 2 days",
    "wonderful, the kettle leaks",
    "brilliant service guys, my order still hasn't arrived 👏",
    # mixed feedback: the harm is what needs following up
    "love the products but your courier threw my parcel over the fence and it got wet",
])
def test_praise_beside_a_harm_is_sarcasm(text):
    # a customer run: the first two were thanked as compliments ("that's really kind of you"),
    # and so was the last, stored as a compliment that nobody follows up
    assert score(text) <= VERY_NEGATIVE


@pytest.mark.parametrize("text", [
    "the kettle arrived broken but you replaced it fast, brilliant, thanks!",
    "hi, please could you help, my parcel never arrived, thanks",
    "my order hasnt arrived yet, can you check?",
    "love the new lamp, great quality",
    # from a review: polite reports and plain praise were read as sarcasm
    "hi, my parcel never arrived, could you look into it? thank you so much",
    "I love this kettle but it leaks a bit, can you help?",
    "I love the jumper but I ordered the wrong size, how do I swap it?",
    "love this coat, perfect for walking the dog in the rain",
    # from a review: delivery words in plain praise
    "the courier dropped it off early, brilliant service, love it!",
    "great service, driver dropped my parcel off at my neighbour, amazing",
    "love it, I got lost on your site at first but found everything, brilliant",
])
def test_praise_with_the_harm_put_right_or_a_polite_report_is_no_sarcasm(text):
    assert score(text) > NEGATIVE


def test_a_building_called_a_block_is_no_obstacle():
    # a customer run: a business enquiry was met with "I'm sorry about this" first
    assert score("looking to buy about 50 toasters for a student housing block, can u quote?") > NEGATIVE
    assert score("we're kitting out a new block of flats") > NEGATIVE


def test_thanks_for_nothing_is_no_thanks():
    # a customer run: it was read as glad, and "Could you say it another way?" followed
    assert score("oh wow a button. thanks for nothing") <= NEGATIVE


@pytest.mark.parametrize("text, hurt", [
    # a customer run: called "frustrating", with no word on stopping using it
    ("im really upset, the vacuum from HG-100147 broke after 3 days and my kid cut his hand on a sharp bit", True),
    ("i cut myself on the packaging", True),
    ("can you cut my order in half", False), ("cut the cable to length please", False),
])
def test_a_cut_is_a_safety_incident(text, hurt):
    assert ("safety" in risks(text)) is hurt


@pytest.mark.parametrize("text, disputed", [
    # a customer run: asked which topic it meant, twice, and no person
    ("i keep getting charged £9.99 every month for harbor club but i never signed up!!", True),
    ("no its not that, i never signed up for it and want my money back", True),
    ("you took money for a plan I didn't agree to", True),
    ("i never signed up but can i get the newsletter", False),
    ("I signed up yesterday and was charged, is that right?", False),
    ("I was charged for delivery, I didn't sign for the parcel though", False),
    ("it took ages and I didn't sign up for this stress", False),
])
def test_a_charge_for_something_never_signed_up_to_is_a_billing_dispute(text, disputed):
    assert ("billing_dispute" in risks(text)) is disputed


@pytest.mark.parametrize("text, offered", [
    # a customer run: a return summed up, and no person
    ("the speaker in HG-100003 arrived cracked, I have photos", True),
    ("I have photos showing HG-100003 arrived smashed", True), ("i've got screenshots of the payment", True),
    ("I have a photo frame question", False), ("do you have photos of the lamp", False),
])
def test_photos_or_screenshots_the_customer_has_are_evidence(text, offered):
    assert ("evidence_dispute" in risks(text)) is offered


@pytest.mark.parametrize("text", [
    # a customer run: a faulty grinder within its return window went to a person with "that
    # sounds frustrating"
    "oh sorry my bad, i meant the coffee grinder. it makes a horrible grinding noise and stopped working after 2 uses",
    "the toaster gives off an awful burning smell",
    # a later run: met with "I'm sorry about this. Let's get it sorted."
    "but is it noise cancelling??",
])
def test_a_products_fault_described_is_no_upset(text):
    assert score(text) > NEGATIVE


@pytest.mark.parametrize("text", ["your service is horrible", "it makes a terrible noise and i'm furious"])
def test_a_horrible_service_or_an_anger_told_beside_the_fault_still_counts(text):
    assert score(text) <= NEGATIVE
