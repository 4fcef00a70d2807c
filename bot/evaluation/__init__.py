"""Measurements of the NLU pipeline in config.yml (`make eval`); they print their figures."""
