import pytest

from company.addresses import parse_address


def test_full_address_is_split_into_line_city_and_postcode():
    address = parse_address("Flat 3, 22 Baker Street, London NW1 6XE")
    assert address is not None
    assert (address.line, address.city, address.postcode) == ("Flat 3, 22 Baker Street", "London", "NW1 6XE")
    assert address.one_line() == "Flat 3, 22 Baker Street, London NW1 6XE"


def test_postcode_may_follow_a_comma_and_be_lower_case():
    address = parse_address("14 mill lane, leeds, ls6 2qt")
    assert address is not None and address.city == "Leeds" and address.postcode == "LS6 2QT"


@pytest.mark.parametrize(
    "text",
    ["", "London", "14 Mill Lane, Leeds", "LS6 2QT", "what are your opening hours?",
     "x" * 500 + ", Leeds LS6 2QT"],
)
def test_incomplete_or_absurd_addresses_are_rejected(text):
    assert parse_address(text) is None
