"""Money is kept in pence; this turns it into what a customer reads."""


def format_pence(pence: int) -> str:
    """1299 → '£12.99'; whole pounds lose the '.00' (500 → '£5')."""
    pounds, rest = divmod(abs(pence), 100)
    sign = "-" if pence < 0 else ""
    return f"{sign}£{pounds:,}" if rest == 0 else f"{sign}£{pounds:,}.{rest:02d}"
