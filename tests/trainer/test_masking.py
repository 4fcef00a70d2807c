"""Personal data in reviewed messages becomes entity examples with placeholder values."""

from __future__ import annotations

import pytest

from trainer.masking import Span, SpanError, mask


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


def test_a_trainer_marks_entity_spans_beside_the_masked_personal_data() -> None:
    text = "can I return the  kettle to France? order HG-123456"
    kettle, france = text.index("kettle"), text.index("France")
    masked = mask(text, marked=[Span(france, france + 6, "country"),
                                Span(kettle, kettle + 6, "product")])
    assert masked.text == ("can I return the [kettle](product) to [France](country)? "
                           "order [HG-100000](order_number)")
    assert masked.entities == [{"entity": "product", "value": "kettle"},
                               {"entity": "country", "value": "France"},
                               {"entity": "order_number", "value": "HG-100000"}]


def test_spans_that_cannot_be_written_are_refused() -> None:
    text = "my kettle HG-123456 broke"
    order = text.index("HG")
    for span, problem in [(Span(3, 6, "product"), "cut a word"),
                          (Span(order, order + 9, "product"), "personal data"),
                          (Span(20, 40, "product"), "not words"),
                          (Span(2, 3, "product"), "not words")]:
        with pytest.raises(SpanError, match=problem):
            mask(text, marked=[span])
    with pytest.raises(SpanError, match="another marked span"):
        mask(text, marked=[Span(3, 9, "product"), Span(3, 9, "country")])


def test_personal_data_entities_are_never_marked_by_hand() -> None:
    text = "write to jo at bloggs dot com"
    start = text.index("jo")
    with pytest.raises(SpanError, match="email is personal data"):
        mask(text, marked=[Span(start, len(text), "email")])
