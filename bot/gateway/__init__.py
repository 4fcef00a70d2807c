"""The conversation gateway: owns every customer conversation on every channel."""
