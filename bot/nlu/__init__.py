"""Custom Rasa NLU components referenced by config.yml."""
