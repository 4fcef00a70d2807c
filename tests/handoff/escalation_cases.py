"""The escalation table: customer messages with the decision the product must take.

Each case is the customer's messages in one conversation (the bot answers after each),
the decision expected at the last one, reasons that must all be among the decision's, and
whether the customer is a VIP.

`NOISY` holds the cases written the way many customers type: typos, run-together words,
lower case, no punctuation, chat spellings, slang and swearing, or a long polite wrapper
around the point. They are in `CASES` like every other case; the list only marks them.
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
    (["will I be charged after the free trial ends?"], False, ()),
    (["can I pay with a different card this time?"], False, ()),
    (["can you send the invoice to a different email address?"], False, ()),
    # a customer run: read as a dispute with evidence (pics, another house) and handed over
    (["yo does the pixel photo frame work with google photos? and can my mum upload pics to it from her "
      "phone in another house"], False, ()),
    (["if I cancel during the trial, do I get charged anything"], False, ()),
    # a customer run: a fee named after a gift's delivery asked about went to a person (a sharp drop)
    (["How much is shipping to the US? sending a gift to my brother",
      "will he have to pay any import charges when it arrives?"], False, ()),
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
    # the email, a noun, "already" registered: not having been in touch before
    (["i cant sign up, it says my email is already registered"], False, ()),
    (["can you merge my two accounts?"], False, ()),
    (["I want to close my account"], False, ()),
    (["please stop sending me your newsletter"], False, ()),
    (["how do I place an order on your website?"], False, ()),
    (["what does it cost to cancel an order?"], False, ()),
    (["where is my refund?"], False, ()),
    # a refund not yet arrived: the order's facts answer it (an overdue one goes to billing)
    (["my refund still hasn't come through"], False, ()),
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
    # at the end of their strength, in words VADER scores mildly: a person answers first
    (["I can't cope anymore, everything is going wrong in my life and now this order hasn't "
      "come either. HG-100002"], True, (R.NEGATIVE_EMOTION,)),
    (["im in tears, this was my daughters birthday present and it hasnt come"], True,
     (R.NEGATIVE_EMOTION,)),
    (["I can cope with a short delay, no worries"], False, ()),
    (["my baby keeps crying, where is the order"], False, ()),
    # words of harming oneself: where to get help now, and a person at once (hyperbole too)
    (["I just want to end it all"], True, (R.CRISIS,)),
    (["i dont want to live anymore, nothing is going right"], True, (R.CRISIS,)),
    (["this bot makes me want to kill myself"], True, (R.CRISIS,)),
    (["I don't want to be here anymore"], True, (R.CRISIS,)),
    (["everyone would be better off without me"], True, (R.CRISIS,)),
    (["honestly i might as well be dead"], True, (R.CRISIS,)),
    (["i just want to go to sleep and not wake up"], True, (R.CRISIS,)),
    (["i cant go on like this anymore"], True, (R.CRISIS,)),
    (["that cake stand is to die for, is it in stock?"], False, ()),
    (["sorry I'm just really overwhelmed, my husband left and I don't know how to return this stuff"],
     True, (R.NEGATIVE_EMOTION,)),
    (["can't cope with how slow your delivery is lol, where is it"], False, ()),
    (["this wait is killing me, where's my parcel HG-100002"], False, ()),
    (["I'm desperate to get this before christmas, when will it come?"], False, ()),
    # a thing that died stopped working: a fault, not an upset customer
    (["my headphones died after a week"], False, ()),
    (["the battery is dead already, can I return it?"], False, ()),
    # a customer run: after the charging advice, handed over as upset
    (["tried that, still dead"], False, ()),
    (["its still dead!!"], False, ()),
]

COMPLEX = [
    (["I was charged twice for the same order"], True, (R.BILLING,)),
    # asked to say "talk to a person" by the payment answer before
    (["you billed me 3 times for one kettle"], True, (R.BILLING,)),
    (["They charged me two times for the same order."], True, (R.BILLING,)),
    # a customer run: asked for an order number three times
    (["I signed up to the harbor club free trial and got charged £14.99 today, I thought it was free?? "
      "I want that money back and cancel the thing"], True, (R.BILLING,)),
    (["i was charged for harbor club during the free trial"], True, (R.BILLING,)),
    # a customer run: a change to the account the customer did not make got the topics
    (["got an email saying my password was changed but i didnt do it"], True, (R.FRAUD,)),
    # a customer run: a delivery paid for and not given got where the shop delivers
    (["wednesday?? i paid for next day delivery! i want my delivery money back"], True, (R.BILLING,)),
    # a customer run: got the declined-card answer
    (["my invoice for HG-100003 says a different amount to what came off my card. which one's right?"], True,
     (R.BILLING,)),
    (["the amounts on the receipt and my bank statement don't match"], True, (R.BILLING,)),
    (["my card was declined three times at checkout"], False, ()),
    (["my refund still hasn't arrived after three weeks"], True, (R.BILLING,)),
    (["It's been a month and my refund still hasn't arrived."], True, (R.BILLING,)),
    (["my refund hasn't arrived yet, it's been over two weeks"], True, (R.BILLING,)),
    (["I haven't received my refund and it has been a month"], True, (R.BILLING,)),
    (["I sent the kettle back last week and my refund hasn't arrived"], False, ()),
    (["someone logged into my account and changed my email"], True, (R.FRAUD,)),
    (["I didn't place this order, it wasn't me"], True, (R.FRAUD,)),
    (["I did not even make this order"], True, (R.FRAUD,)),
    # an order number in place of "this"; an order never made that was charged
    (["I didn't place order HG-100148 and it's been charged to my card!"], True, (R.FRAUD,)),
    (["I've been charged for an order I never made"], True, (R.FRAUD,)),
    # a gift's recipient is no fraud, but a charge for an order not placed still is
    (["I didn't order this, it's not a gift and you've charged me"], True, (R.FRAUD,)),
    (["I didn't place the order yet, is the lamp in stock?"], False, ()),
    (["can I use my discount code on orders I haven't placed yet?"], False, ()),
    (["I didn't make the order in time and you charged me a fee"], False, ()),
    (["there's a payment to Harbor Goods on my bank statement I don't recognise, £299"], True,
     (R.FRAUD,)),
    # a child or a pet harmed (a customer run: a fallback or a cleaning article, 4 of 16)
    (["my toddler bit the cable of the lamp and it was live, she is ok but crying, order HG-100001"], True,
     (R.SAFETY,)),
    (["the headphones gave my daughter a rash on her ears, HG-100003"], True, (R.SAFETY,)),
    (["my dog ate part of the robot vacuum brush and is being sick"], True, (R.SAFETY,)),
    (["my dog loves to chew the bed, is it tough?"], False, ()),
    # an explorer run: no risk named, so a fallback
    (["my dog got really sick after chewing the cable of the lamp"], True, (R.SAFETY,)),
    (["my dog is chewing the box, is it strong?"], False, ()),
    # a later run: scalds and a pet hurt, without the words "burn" or "scald" (4 of 4, 2 of 2)
    (["my toddler pulled the kettle cord and got splashed with boiling water"], True, (R.SAFETY,)),
    (["the kettle lid flew open and boiling water went all over my hand"], True, (R.SAFETY,)),
    (["my finger got caught in the blender lid"], True, (R.SAFETY,)),
    (["can I pour boiling water into the flask?"], False, ()),
    # a danger that is why new ones are bought: "call 999" and a person (2 of 2 in a customer run)
    (["our nursery wants 20 Breeze air purifiers, our old ones are unsafe for the children"], False, ()),
    (["we need 30 Aurora kettles, replacing old ones that are unsafe"], False, ()),
    (["the heater you sent is unsafe, it sparks"], True, (R.SAFETY,)),
    (["my back hurts from my old chair, which chair do you recommend?"], False, ()),
    (["the kettle hurt my son"], True, (R.SAFETY,)),
    # a discomfort is no injury: "call 999" and a person, twice (a customer run)
    (["i want to return the headphones from HG-100003 they hurt my ears"], False, ()),
    (["what?? im not injured they are just uncomfortable, i just want to send them back"], False, ()),
    (["the atlas chair hurts my back after an hour, can i return it"], False, ()),
    (["the kettle handle was so hot it hurt my hand"], True, (R.SAFETY,)),
    (["the lamp fell on my head and it really hurts my head, theres blood"], True, (R.SAFETY,)),
    (["my son was injured by the blender"], True, (R.SAFETY,)),
    (["the vacuum ran over the cable and broke it"], False, ()),
    (["is the sale still live"], False, ()),
    # a need on someone's health that cannot wait ("not something I can help with", a customer run)
    (["please, I'm desperate, it's medication supplies for my disabled mum and she needs them tomorrow"], True,
     (R.VULNERABLE,)),
    (["I'm desperate, I really need it tomorrow for my mum's hospital stay"], True, (R.VULNERABLE,)),
    (["do you sell a medicine cabinet"], False, ()),
    # a review: none of these is a vulnerable customer's need, nor a fraud
    (["can you gift wrap it? it's for my elderly mum"], False, ()),
    (["do you sell pill organisers for medication?"], False, ()),
    (["is the cooler bag big enough for insulin pens?"], False, ()),
    (["can I use my prescription glasses discount"], False, ()),
    # a customer run: answered as a failed checkout (2 of 2)
    (["there's a payment on my card from you I don't recognise, I never ordered anything"], True, (R.FRAUD,)),
    (["my payment didn't go through, I don't recognise the error"], False, ()),
    # an order or its email not received is no fraud (it went to a security specialist)
    (["I did not receive my order"], False, ()),
    (["I didn't receive an order confirmation"], False, ()),
    # owning a slip of one's own is no upset (it scored -0.67, "very upset")
    (["hi", "I ordered the wrong colour by mistake"], False, ()),
    # nor is a wrong choice of one's own, after a cheerful first line (it was a "sharp drop")
    (["can you help me with something", "I ordered the wrong size"], False, ()),
    (["the kettle caught fire and burned my hand"], True, (R.SAFETY,)),
    (["my son got an electric shock from the charger"], True, (R.SAFETY,)),
    (["if this isn't fixed I'm taking you to court"], True, (R.LEGAL,)),
    (["I've spoken to my solicitor about this"], True, (R.LEGAL,)),
    (["I want to make a complaint about your delivery driver"], True, (R.COMPLAINT,)),
    (["blorp fizzle wump", "zzzq vrrp"], True, (R.REPEATED_FALLBACK,)),
    # the second asking is answered once more (a follow-up is often the same intent); the third
    # goes to a person
    (["what are your opening hours?", "what time are you open?"], False, ()),
    (["what are your opening hours?", "what time are you open?", "when are you open then"], True,
     (R.REPEATED_QUESTION,)),
]

EXPLICIT = [
    (["I want to talk to a person"], True, (R.REQUESTED,)),
    (["can I speak to a human agent please"], True, (R.REQUESTED,)),
    (["get me a real person"], True, (R.REQUESTED,)),
    (["let me talk to someone from customer service"], True, (R.REQUESTED,)),
    (["where is my order?", "I'd rather talk to a human"], True, (R.REQUESTED,)),
    # a customer run: the clarification buttons, twice ("Did you not read what I wrote?")
    (["I want to speak to a manager immediately."], True, (R.REQUESTED,)),
    (["can I talk to your supervisor"], True, (R.REQUESTED,)),
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

# --- escalations that real customers trigger (issue 15) -----------------------------------
# frustrated with the assistant and asking for a person: a request for a human, not a
# question about phone numbers or whether this is a bot
FRUSTRATED_HUMAN = [
    (["this bot is useless, how do I reach someone real"], True, (R.REQUESTED,)),
    (["Honestly, this assistant is no help at all. Is there an actual person I can talk to?"], True,
     (R.REQUESTED,)),
    (["I've had enough of talking to a machine, I want a real human"], True, (R.REQUESTED,)),
    (["your automated system is hopeless, please connect me with a member of staff"], True, (R.REQUESTED,)),
    (["where is my order?", "why can't I just speak to a human? this chat is going nowhere"], True,
     (R.REQUESTED,)),
    # from a customer run: asked in words beside an order question, read as the order question
    (["I want to speak to someone about a problem with order HG-100002"], True, (R.REQUESTED,)),
    (["a person from your team said it would come today, is it still on track?"], False, ()),
]
# plain questions about contact channels stay with the bot
CONTACT_CHANNELS = [
    (["what's your email address?"], False, ()),
    (["how can I contact you by post?"], False, ()),
]
CHURN = [
    (["I'm done with you, I'm telling everyone I know to shop elsewhere"], True, (R.CHURN,)),
    (["After this I will never buy anything from Harbor Goods again."], True, (R.CHURN,)),
    (["You've lost a loyal customer today."], True, (R.CHURN,)),
    (["If this isn't sorted by Friday I'm taking my business to another retailer."], True, (R.CHURN,)),
    (["I'll be leaving a very negative review on Trustpilot about this."], True, (R.CHURN,)),
    (["Please close my account because I no longer trust you with my orders."], True, (R.CHURN,)),
]
EVIDENCE = [
    (["tracking says signed for, but that isn't my signature"], True, (R.EVIDENCE,)),
    (["The courier's photo shows a front door that isn't mine."], True, (R.EVIDENCE,)),
    (["Your tracking claims it was delivered at 2pm, but I was home all afternoon and nobody knocked."],
     True, (R.EVIDENCE,)),
    (["I have proof the parcel never arrived: my doorbell camera recorded the whole day."], True,
     (R.EVIDENCE,)),
    (["where is my order HG-100002?", "The signature on the proof of delivery is someone I don't know."],
     True, (R.EVIDENCE,)),
    # the parcel or order itself as what "says delivered" (a help article answered it before)
    (["my parcel says delivered but I never got it"], True, (R.EVIDENCE,)),
    (["My order is marked delivered on your page, but nothing came."], True, (R.EVIDENCE,)),
]
BUSINESS = [
    (["We'd like to renegotiate our company's contract before it renews in March."], True, (R.BUSINESS,)),
    (["Could you change the payment terms on our business account to 60 days?"], True, (R.BUSINESS,)),
    (["Our firm needs to increase the volume on our bulk pricing agreement."], True, (R.BUSINESS,)),
    (["Please add our new purchase order number to next month's invoices."], True, (R.BUSINESS,)),
    (["We want to terminate our agreement at the end of the quarter."], True, (R.BUSINESS,)),
]
REPEAT_CONTACT = [
    (["This is the third time I've contacted you about the same broken blender."], True,
     (R.REPEAT_CONTACT,)),
    (["I already called twice last week and was promised a call back."], True, (R.REPEAT_CONTACT,)),
    (["I wrote to you last Tuesday about this and I'm still waiting for a reply."], True,
     (R.REPEAT_CONTACT,)),
    (["I keep having to chase you about my refund."], True, (R.REPEAT_CONTACT,)),
    (["where is my refund?", "I asked about this yesterday as well and still nothing"], True,
     (R.REPEAT_CONTACT,)),
]
# calm messages that mention a contract, a signature, a review, leaving or proof: no risk
CALM_MENTIONS = [
    (["Does my parcel need to be signed for?"], False, ()),
    (["Is there a minimum contract for the Harbor Club?"], False, ()),
    (["I'd like to leave some feedback about the website"], False, ()),
    (["where can I leave a review?"], False, ()),
    (["please leave a note for the courier to leave it in the porch"], False, ()),
    (["I'll tell all my friends how brilliant your service is!"], False, ()),
    (["I have proof of purchase, is my kettle still under warranty?"], False, ()),
    (["can I send a photo of the scratch with my return?"], False, ()),
    (["can I leave the Harbor Club whenever I want?"], False, ()),
    (["I spoke to Jake yesterday and he was brilliant, thank you"], False, ()),
    (["my order says delivered, thank you so much!"], False, ()),
    (["my order says deliver by Friday but it hasn't come yet"], False, ()),
]

NOISY = [
    # lookups and small talk
    (["wheres my order"], False, ()),
    # a charge taken several times, told loosely (the payment answer asked them to say "talk
    # to a person" before)
    (["i have been charged three times and no one will sort it out"], True, (R.BILLING,)),
    (["u charged me like 4 times for 1 order wtf"], True, (R.BILLING,)),
    (["i did not recieve my order yet"], False, ()),  # no fraud: nothing ordered by someone else
    # a gift's recipient is no fraud (a customer run)
    (["i never ordered this, it was a prezzie from my sister. can i send it back"], False, ()),
    (["how do i make an acount"], False, ()),
    (["wheres my refnd for the lamp i sent back"], False, ()),
    (["how much does it cost 2 cancel an order"], False, ()),
    (["how do i stop ur newsletter"], False, ()),
    (["and if I cancel premium do i lose the warranty"], False, ()),
    (["cant sign up keeps saying error"], False, ()),
    (["can i pay w paypal"], False, ()),
    (["whats ur phone number"], False, ()),
    (["how do i contact u"], False, ()),
    # upset, in their own words
    (["this is a f***ing joke, worst company ever"], True, ()),
    (["im so fed up with u lot honestly"], True, ()),
    (["charged me twice wtf"], True, (R.BILLING,)),
    (["sum1 hacked my acount n ordered stuff"], True, (R.FRAUD,)),
    # frustrated, asking for a person
    (["ur bot is crap get me a human"], True, (R.REQUESTED,)),
    (["is there an actual person i can talk to"], True, (R.REQUESTED,)),
    (["this thing is pointless gimme a real person"], True, (R.REQUESTED,)),
    (["omg this bot is so dumb. human pls"], True, (R.REQUESTED,)),
    (["bruh i want an actual human not this rubbish"], True, (R.REQUESTED,)),
    (["just give me a number to ring an actual person, this bot is useless"], True, (R.REQUESTED,)),
    # churn
    (["im done w u lot, shopping elsewere from now on"], True, (R.CHURN,)),
    (["never orderin from you again"], True, (R.CHURN,)),
    (["wont be usin harbor again after this"], True, (R.CHURN,)),
    (["gonna warn all my mates about you"], True, (R.CHURN,)),
    (["1 star review incoming, absolute joke"], True, (R.CHURN,)),
    (["Good afternoon. I have been a loyal customer for many years and it genuinely pains me to write "
      "this, but unless things improve I shall have to take my custom elsewhere. Kind regards, Margaret"],
     True, (R.CHURN,)),
    (["f*** this, im going to currys"], True, (R.CHURN,)),
    (["Dear Sir or Madam, I regret to inform you that after this experience I will be closing my "
      "account, as I can no longer trust your service. Yours faithfully, P. Jones"], True, (R.CHURN,)),
    # disputes with evidence
    (["tracking says deliverd but it never came"], True, (R.EVIDENCE,)),
    (["yo the pic ur driver took aint even my street"], True, (R.EVIDENCE,)),
    (["signedfor by sum1 else not me!!"], True, (R.EVIDENCE,)),
    (["the pic the driver sent is of a different house lol"], True, (R.EVIDENCE,)),
    (["it says i signed for it but i wasnt even in"], True, (R.EVIDENCE,)),
    (["Dear team, thank you for your reply. However, the delivery photo you sent shows a blue door and "
      "ours is red, so I'm afraid it wasn't delivered to us. Best wishes, Anil"], True, (R.EVIDENCE,)),
    # business contract changes
    (["hi can we change r company contract pls"], True, (R.BUSINESS,)),
    (["need to renew our contarct asap its up end of month"], True, (R.BUSINESS,)),
    (["our buisness acount terms need updating"], True, (R.BUSINESS,)),
    (["Good morning, I hope all is well. As our annual supply agreement comes up for renewal in "
      "January, we would like to discuss revised pricing for next year. Kind regards, Tom"], True,
     (R.BUSINESS,)),
    # repeated contact
    (["3rd time im asking about my refund"], True, (R.REPEAT_CONTACT,)),
    (["already rang u twice about this"], True, (R.REPEAT_CONTACT,)),
    (["bloody useless the lot of you, ive rung 4 times"], True, (R.REPEAT_CONTACT,)),
    (["still waitin on a reply to my email from monday"], True, (R.REPEAT_CONTACT,)),
    (["me again, same problem as before with the kettle"], True, (R.REPEAT_CONTACT,)),
    (["emailed yday n nobody replied"], True, (R.REPEAT_CONTACT,)),
    (["been chasin this for 2 weeks and keep gettin fobbed off"], True, (R.REPEAT_CONTACT,)),
    (["Hello there, I hope you're keeping well. I'm so sorry to bother you again, but I have now written "
      "three times about my refund and would be very grateful if someone could look into it. Many "
      "thanks, Jean"], True, (R.REPEAT_CONTACT,)),
    # calm mentions, typed fast
    (["does it need a signiture"], False, ()),
    (["wheres the contract for harbor club"], False, ()),
    (["can u leave it by the back door pls"], False, ()),
    (["how do i leave feedback"], False, ()),
    (["do u do bulk orders for offices"], False, ()),
    (["got proof of postage for my return, when do i get the refund"], False, ()),
    (["refund not come thru yet for HG-100003"], False, ()),
    (["my refund never came, been weeks"], True, (R.BILLING,)),
    (["refund not arrived, its been ages"], True, (R.BILLING,)),
    (["still no refund after 3 wks"], True, (R.BILLING,)),
]

# --- the third review's misses (review 3) --------------------------------------------------
# risks said in ways the patterns missed
REVIEW3_RISKS = [
    # "report" three words from "police": the gap was at most two words
    (["I will report you to the police if this isn't sorted"], True, (R.LEGAL,)),
    (["I e-mailed you twice already about this"], True, (R.REPEAT_CONTACT,)),  # "e-mailed" as one word
    (["I didn't order any of this, who placed it?"], True, (R.FRAUD,)),
]
# calm messages that named a risk: half a hyphenated word, a name, a colour, a new
# customer, a stock question, a customer number, a billing address, a double duvet
REVIEW3_CALM = [
    (["does checkout have anti-fraud protection?"], False, ()),
    (["is the smart lock hack-proof?"], False, ()),
    (["Is the hazard-free paint suitable for a nursery?"], False, ()),
    (["Sue in your Leeds store said I could return it here"], False, ()),
    (["is the velvet armchair available in burnt orange?"], False, ()),
    (["I put the wrong billing address in, how do I change it?"], False, ()),
    (["can you tell the driver not to go round the back, the dog is loose"], False, ()),
    (["has the green colour gone for good?"], False, ()),
    # a second address on the account, not a second time of writing
    (["can i add a second email to my account?"], False, ()),
    (["can I put a 2nd phone number on the account"], False, ()),
    (["this is my second email to your account team and still no reply"], True,
     (R.REPEAT_CONTACT,)),
    (["this is the third email on my account and still no reply"], True, (R.REPEAT_CONTACT,)),
    (["second email with my account problem, please answer this time"], True,
     (R.REPEAT_CONTACT,)),
    (["i have a second email account, can i use that to log in"], False, ()),
]
NOISY += [
    (["reporting u to the regulator if this isnt sorted"], True, (R.LEGAL,)),
    (["ur a joke, taking my money to john lewis from now on"], True, (R.CHURN,)),
    # starred swearing read as the word; "where is my refund" after a month is a dispute
    (["WHERE THE F*** IS MY REFUND ITS BEEN A MONTH"], True, (R.BILLING,)),
    (["the photo is literally of someone elses front door mate"], True, (R.EVIDENCE,)),
    (["ur couriers nicked my parcel n the pic is of next doors bin"], True, (R.EVIDENCE,)),
    (["signed by J SMITH?? i dont know any j smith"], True, (R.EVIDENCE,)),
    (["leaving a 1 star on trustpilot tonite"], True, (R.CHURN,)),
    (["rang u monday, emailed tuesday, still nothin"], True, (R.REPEAT_CONTACT,)),
    (["im gonna sue u lot"], True, (R.LEGAL,)),
    (["do u do the dining table in smoked oak"], False, ()),
    (["ive never ordered from you before, how does delivery work"], False, ()),
    (["i didnt order enough paint, can i add another tin"], False, ()),
    (["ill shop elsewhere if its out of stock? when is the grey sofa back in"], False, ()),
    (["is the oak table in stock or will i have to look elsewhere?"], False, ()),
    (["toaster set off the smoke alarm this mornin"], True, (R.SAFETY,)),
    (["had 2 grab the fire extinguisher wen the air fryer went up"], True, (R.SAFETY,)),
    (["do u sell fire extinguishers"], False, ()),
    (["do u have fireman sam bedding in a single"], False, ()),
    (["the charger went up in flames n the fire brigade came"], True, (R.SAFETY,)),
    (["i lost my customer number, where do i find it"], False, ()),
    (["when will i be charged for the double duvet cover?"], False, ()),
    (["still waiting for an email to confirm my order, is that normal?"], False, ()),
    (["im leaving after 5 tmrw, can the driver come before then?"], False, ()),
    (["the text said theyd deliver today but it hasnt come yet, any news?"], False, ()),
]

# someone close to the customer has died: a person with condolences, never the erasure or
# cancellation flow for someone else's account (a device that "died" is no loss either, but
# the sentiment reads "died" as very upset, so those cases are in tests/handoff/test_emotion.py)
BEREAVEMENT = [
    (["my mum passed away last month and I need to close her account and stop the emails"], True,
     (R.BEREAVEMENT,)),
    (["My husband died in October. Can you cancel the order he placed?"], True, (R.BEREAVEMENT,)),
    (["I'm the executor of my father's estate and need his account closed"], True, (R.BEREAVEMENT,)),
    (["my son passed his driving test, do you do gift wrapping?"], False, ()),
]
NOISY += [
    (["my dad passed away n im tryin to sort out his orders"], True, (R.BEREAVEMENT,)),
    (["need to close my late wifes account pls"], True, (R.BEREAVEMENT,)),
    (["my son passed his test so want 2 get him sumthing nice"], False, ()),
]

# the customer says a condition makes this hard for them: a person who takes it slowly, not
# the identity question again ("I didn't see an email address or a postcode in that")
EXTRA_SUPPORT = [
    (["I need to return something", "HG-100004",
      "sorry I get confused easily, I have dementia and my daughter usually helps me with this"],
     True, (R.VULNERABLE,)),
    (["I'm partially sighted and really struggling to read all this, can someone help"], True,
     (R.VULNERABLE,)),
    (["I have a learning disability, can you explain the returns slowly"], True, (R.VULNERABLE,)),
    (["is the Aurora kettle easy to use? I'd like to know the price"], False, ()),
    (["lost my job and money is really tight, how do i stop the club payments asap"], True, (R.VULNERABLE,)),
    (["my mum is in hospital and I'm trying to sort out her Harbor Club membership"], True, (R.VULNERABLE,)),
    # a delivered parcel with items missing got "check with neighbours" (a customer run)
    (["HG-100154 arrived but there was only one speaker in the box, I ordered two"], True, (R.MISSING_ITEMS,)),
    (["what if something is missing from the parcel when it comes?"], False, ()),
    # a bare prompt to go on after an answer is no complaint (a customer run: "I'm really
    # sorry, that sounds frustrating" and a person)
    (["where is my order HG-100002", "and?"], False, ()),
    (["I just cancelled HG-100146 by mistake, can you undo it??"], True, (R.CANCELLATION_REGRETTED,)),
]
NOISY += [
    (["im registered blind n my carer is off today, need help with my order"], True, (R.VULNERABLE,)),
    (["sorry i struggle to read the screen, where is my parcel"], True, (R.VULNERABLE,)),
    (["im in debt n cant afford the club anymore, how do i stop it"], True, (R.VULNERABLE,)),
    (["this is ridiculous my order HG-100192 is late AGAIN i want a human NOW"], True, (R.REQUESTED,)),
    (["my order HG-100202 is late again, let me speak to a real person"], True, (R.REQUESTED,)),
    (["wheres HG-100164", "what?? i didnt cancel it"], True, (R.FRAUD,)),
    (["came today but the box was empty?! HG-100104"], True, (R.MISSING_ITEMS,)),
    # repeat contact with the words between the count and the contact (a customer run: an
    # apology and a menu, no person)
    (["this is the 3rd time ive had to contact you, absolutely ridiculous, where is HG-100002"], True,
     (R.REPEAT_CONTACT,)),
    # a change that cannot wait, asked in anger: the assistant makes it, the feeling first (a
    # customer run: handed over at 16:28 on a Saturday, the team back on Monday)
    (["i ordered HG-100001 to the wrong address!! its going to my old flat, pls change it to 22 Hyde Park "
      "Road, Leeds LS6 1AE"], False, ()),
    (["change the address on HG-100001 ffs"], False, ()),
    # ... said beside the feeling (a second customer run: 6 of 11 queued until Monday)
    (["bloody useless company. just cancel my order HG-100001!!"], False, ()),
    (["I'm so angry!! cancel HG-100001 right now"], False, ()),
    # ... but not for someone at the end of their strength
    (["I can't cope anymore, everything is going wrong and now I need to cancel HG-100001"], True,
     (R.NEGATIVE_EMOTION,)),
    # a child or a pet hurt, typed as it came (customer runs: a fallback, a return menu, a
    # cleaning article)
    (["my puppy got sick from the chew toy"], True, (R.SAFETY,)),
    (["kettle leaked boiling water on my toddlers leg"], True, (R.SAFETY,)),
    (["my dog is limping, the robot vacuum ran over his paw"], True, (R.SAFETY,)),
    (["the robot vacuum ran over my dog's paw"], True, (R.SAFETY,)),
    (["my cats tail got sucked into the drift vacuum, shes limping"], True, (R.SAFETY,)),
    (["A manager. Now."], True, (R.REQUESTED,)),
    (["put me thru to ur supervisor pls"], True, (R.REQUESTED,)),
    # a refund awaited by someone who can't pay the rent (a customer run: "there's no refund on it")
    (["I cancelled HG-100001 last week and STILL no refund. I really need that money, I can't pay my rent"],
     True, (R.VULNERABLE,)),
    (["can't pay my rent this month till the refund comes"], True, (R.VULNERABLE,)),
    # ... not a payment that failed
    (["I can't pay for my order, the card keeps failing"], False, ()),
    # a feeling beside a plain question: the feeling first, then the answer (a customer run:
    # handed over until the next morning; without "ugh" it was answered at once)
    (["ugh this is so annoying. how much is delivery??"], False, ()),
    # asking whether paying is safe is no fraud report (a customer run: handed over, where the
    # paying article answers it); a scam that happened still is
    (["is it safe to give my card details on your website? someone said theres a scam going round"], False, ()),
    (["is your checkout secure? my mate reckons its a phishing site"], False, ()),
    (["I got a phishing email pretending to be you and I clicked the link, is it safe?"], True, (R.FRAUD,)),
    (["is it safe to pay? i think ive been scammed by a fake harbor goods site"], True, (R.FRAUD,)),
    (["there's a scam text going round using your name"], True, (R.FRAUD,)),
    # a return's reason is no strong feeling (a customer run: handed over, the order returnable)
    (["hi i got my order HG-100003 but the jacket is the wrong size, can i send it back? my email is "
      "ben.okafor@example.com"], False, ()),
]

CASES += [(*case, False) for case in FRUSTRATED_HUMAN + CONTACT_CHANNELS + CHURN + EVIDENCE + BUSINESS
          + REPEAT_CONTACT + CALM_MENTIONS + REVIEW3_RISKS + REVIEW3_CALM + BEREAVEMENT + EXTRA_SUPPORT
          + NOISY]
# a VIP who threatens to leave is marked VIP too, so the account manager gets it (routing)
CASES += [
    (["I'm so disappointed, I'm thinking of leaving Harbor for good"], True, (R.CHURN, R.VIP), True),
    (["we need to change our company contract"], True, (R.BUSINESS, R.VIP), True),
    (["Hello, this is Victoria Hughes. Order HG-100005. I want to speak to a manager immediately."], True,
     (R.REQUESTED, R.VIP), True),
]
