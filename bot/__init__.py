"""CareDesk runtime: settings, the NLU components Rasa loads, and the process supervisor."""
