"""What the gateway and CareDesk's Rasa input channel (bot/channels/rasa_gateway.py) agree on:
the header that proves a request came from the gateway, and the metadata flag that marks the
gateway's own commands (anything without it is text the customer typed)."""

SECRET_HEADER = "X-CareDesk-Channel-Secret"
COMMAND_KEY = "command"
