"""Rasa custom actions for Harbor Goods, one module per topic (run by `rasa run actions`)."""
