"""References that make a test's message unique and that no entity pattern reads.

A hex suffix such as 'a76bd' or 'b9d2fd' reads as a postcode (A7 6BD), and digits as part of
an order number or a phone number: the inbox then shows the placeholder instead, and a test
looking for its own message does not find it."""

import uuid


def plain_ref(length: int = 6) -> str:
    """Random lower-case letters g-v only: never a postcode, a number or a hex string."""
    return "".join(chr(ord("g") + int(digit, 16)) for digit in uuid.uuid4().hex[:length])
