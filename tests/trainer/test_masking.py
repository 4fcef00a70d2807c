"""Personal data in reviewed messages becomes entity examples with placeholder values."""

from __future__ import annotations

from trainer.masking import mask


def test_identifiers_become_placeholder_entity_examples() -> None:
    masked = mask("where is HG-123456? my email is jo.bloggs@gmail.com, phone 07911 123456")
    assert masked.text == ("where is [HG-100000](order_number)? my email is "
                           "[name@example.com](email), phone [07700 900000](phone)")
    assert [e["entity"] for e in masked.entities] == ["order_number", "email", "phone"]
    for secret in ("123456", "jo.bloggs", "07911"):
        assert secret not in masked.text


def test_a_postcode_and_a_bare_order_number() -> None:
    masked = mask("order 654321 to SW1A 1AA please")
    assert masked.text == "order [HG-100000](order_number) to [AB1 2CD](postcode) please"


def test_customer_brackets_cannot_forge_entity_markup() -> None:
    masked = mask("this [is](order_number) {odd} (really)")
    assert "[" not in masked.text and "{" not in masked.text and "(" not in masked.text
    assert masked.entities == []
