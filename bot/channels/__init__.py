"""How customers reach CareDesk: the channel adapters of the gateway and Rasa's side of it."""
