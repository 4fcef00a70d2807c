"""The demo company behind the assistant: its data model, business rules and demo data."""
