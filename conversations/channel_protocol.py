"""What the gateway and CareDesk's Rasa input channel (bot/channels/rasa_gateway.py) agree on:
the header that proves a request came from the gateway, the metadata flag that marks the
gateway's own commands (anything without it is text the customer typed), and the mark the
channel puts on the parts of a message it had answered as two (bot/channels/second_requests.py):
"rest", then "question"; and the flag of a message written while the customer waits for a
person, which the assistant answers only when it is a quick question
(bot/channels/queued_questions.py); and the flag of a message written while a person has the
conversation, which the assistant only reads for words of crisis or danger
(bot/channels/with_person.py)."""

SECRET_HEADER = "X-CareDesk-Channel-Secret"
COMMAND_KEY = "command"
SPLIT_KEY = "caredesk_split"
SPLIT_QUESTION = "question"
QUEUED_KEY = "caredesk_queued"
WITH_PERSON_KEY = "caredesk_with_person"
