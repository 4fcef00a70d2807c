"""Personal data in reviewed messages becomes entity examples with placeholder values, and a
trainer is shown the same placeholder values in place of it."""

from __future__ import annotations

import pytest

from trainer.masking import Span, SpanError, conceal, mask, personal_data


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


def test_an_order_number_written_with_a_space_is_masked_whole() -> None:
    """"HG 100001" was masked as "HG HG-100000": the pipeline's regexes find only its digits."""
    for written in ("my order HG 100001 please", "my order hg - 100001 please",
                    "my order HG -100001 please"):
        assert mask(written).text == "my order [HG-100000](order_number) please", written
        assert conceal(written).text == "my order HG-100000 please", written
        assert "100001" not in conceal(written).text


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


def test_a_trainer_is_shown_the_placeholder_values_without_markup() -> None:
    concealed = conceal("where is HG-123456? my email is jo.bloggs@gmail.com, phone 07911 123456")
    assert concealed.text == ("where is HG-100000? my email is name@example.com, "
                              "phone 07700 900000")
    assert [(s.entity, concealed.text[s.start:s.end]) for s in concealed.shown] == [
        ("order_number", "HG-100000"), ("email", "name@example.com"), ("phone", "07700 900000")]
    assert conceal("this [is] <b>bold</b> {odd}").text == "this [is] <b>bold</b> {odd}"  # as written


TRICKY = [
    "where is HG-123456? my email is jo.bloggs@gmail.com, phone 07911 123456",
    "order 654321 to sw1a1aa please, or hg123456, or #123456",
    "my order#654321 and ref:123456 and x123456",
    "123456@gmail.com wrote from +44 7911 123456 and 0044 7911 123456",
    "(07911) 123456 [x](order_number) {y} and GIR 0AA",
    "two mails a.b@c.co.uk,d@e.org;and EC1A1BB/W1A 0AX",
    "HG-123456789 is not one, 1234567 neither, 12345 nor",
    "order HG 654321, hg - 123456 and HG 123456789",
    "",
]


@pytest.mark.parametrize("written", TRICKY)
def test_the_shown_text_is_written_exactly_as_the_customer_s_words_would_be(written: str) -> None:
    concealed = conceal(written)
    assert mask(concealed.text, known=concealed.shown) == mask(written)
    for span in personal_data(concealed.text):  # whatever still looks personal is a placeholder
        assert concealed.text[span.start:span.end] == span.placeholder


def test_offsets_of_the_customer_s_words_move_into_the_shown_text() -> None:
    written = "kettle HG-123456 to jo@x.com, then the toaster"
    concealed = conceal(written)
    assert concealed.text == "kettle HG-100000 to name@example.com, then the toaster"
    toaster = written.index("toaster")
    assert concealed.position(toaster) == concealed.text.index("toaster")
    assert concealed.position(toaster + 7, end=True) == len(concealed.text)
    assert concealed.position(3) == 3  # before any personal data
    # inside personal data: the whole placeholder
    email = written.index("jo@")
    assert concealed.position(email + 2) == concealed.text.index("name@")
    assert concealed.position(email + 2, end=True) == concealed.text.index(", then")
    cut = concealed.cut(concealed.text.index("example"))  # the e-mail placeholder cut in two
    assert cut.text == "kettle HG-100000 to name@" and [s.entity for s in cut.shown] == ["order_number"]
