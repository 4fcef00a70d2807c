"""The trainer workbench: what customers really wrote, reviewed into training data."""
