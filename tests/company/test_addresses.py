import pytest

from company.addresses import address_in_request, parse_address


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


MILL_LANE, KINGS_PARADE = "14 Mill Lane, Leeds LS6 2QT", "27 King's Parade, Cambridge CB2 1ST"


@pytest.mark.parametrize("text, address", [
    # the sentence around an address is no part of it
    ("14 Mill Lane, Leeds, LS6 2QT.", MILL_LANE),        # the city was "."
    ("14 Mill Lane, Leeds LS6 2QT.", MILL_LANE),         # the city was "Leeds ."
    ("14 Mill Lane, Leeds, LS6 2QT!", MILL_LANE),
    ("fine. 14 Mill Lane, Leeds, LS6 2QT.", MILL_LANE),  # the rest of "... also do u deliver on saturdays?"
    ("sorry 14 Mill Lane, Leeds, LS6 2QT", MILL_LANE),
    ("no, 14 Mill Lane, Leeds, LS6 2QT", MILL_LANE),
    ("sorry, 14 Mill Lane, Leeds, LS6 2QT", MILL_LANE),
    ("please, 14 Mill Lane, Leeds, LS6 2QT", MILL_LANE),
    # a customer run: saved with "it should be" as a part of its street
    ("no wait, it should be 14 Mill Lane, Leeds LS6 2QT", MILL_LANE),
    ("make it 14 Mill Lane, Leeds LS6 2QT", MILL_LANE),
    # no commas: refused as no full address
    ("14 Mill Lane Leeds LS6 2QT", MILL_LANE), ("14 mill lane leeds ls6 2qt", "14 mill lane, Leeds LS6 2QT"),
    ("27 King's Parade Cambridge CB2 1ST", KINGS_PARADE),
    # an address ends at its postcode: the first was read back with "And Can You Upgrade It To
    # Next Day Delivery" as its town
    ("27 King's Parade, Cambridge, CB2 1ST and can you upgrade it to next day delivery", KINGS_PARADE),
    ("27 King's Parade, Cambridge CB2 1ST. will it still arrive by friday?", KINGS_PARADE),
    ("27 King's Parade, Cambridge, CB2 1ST, United Kingdom", KINGS_PARADE),
    ("27 King's Parade, Cambridge CB2 1ST UK", KINGS_PARADE),
])
def test_only_the_address_is_read_from_the_words_around_it(text, address):
    read = parse_address(text)
    assert read is not None and read.one_line() == address


def test_a_number_written_no_keeps_it():
    assert parse_address("No. 5 Keep Lane, Leeds LS1 4AB").line == "No. 5 Keep Lane"


def test_words_about_the_address_are_not_its_street():
    """"change adress to my new house, 5 Rose Street, Birmingham B5 4BU" saved "my new house,
    5 Rose Street" as the street (a customer run); a house's own name stays."""
    told = address_in_request("change adress to my new house, 5 Rose Street, Birmingham B5 4BU")
    assert told is not None and told.one_line() == "5 Rose Street, Birmingham B5 4BU"
    assert parse_address("our new flat, Flat 2, 5 High St, York YO1 7HH").line == "Flat 2, 5 High St"
    assert parse_address("The Old Rectory, Church Lane, Ely CB7 4AA").line == "The Old Rectory, Church Lane"
    # a third run: chat words were kept, and a farm's name dropped
    assert parse_address("ok then 3 Jersey Road, London E11 4AA").line == "3 Jersey Road"
    assert parse_address("I've moved, 5 Rose Street, Bristol BS1 4DJ").line == "5 Rose Street"
    assert parse_address("New House Farm, 3 Mill Lane, Thirsk YO7 1AB").line == "New House Farm, 3 Mill Lane"


def test_a_correction_names_the_part_it_changes():
    from company.addresses import corrected_address, parse_address

    proposed = parse_address("3 Hyde Park Road, Leeds, LS6 1AA")
    assert corrected_address(proposed, "i meant 3 st johns road").one_line() == "3 St Johns Road, Leeds LS6 1AA"
    assert corrected_address(proposed, "postcode's LS6 3AB sorry").one_line() == "3 Hyde Park Road, Leeds LS6 3AB"
    for words in ("yes", "no", "hmm is that right?", "the number is 30 not 3",
                  # from a review: words that confirm, naming another street
                  "yes, and if I'm out leave it with the neighbour at 5 Hyde Park Road",
                  "yes please, my parcel went to 12 Oak Street last time"):
        assert corrected_address(proposed, words) is None, words


@pytest.mark.parametrize("text, address", [
    # a customer run: read back with the words as its first line, or an order's number as its street
    ("i already told u, Unit 4, Kirkstall Rd, Leeds LS3 1LH", "Unit 4, Kirkstall Rd, Leeds LS3 1LH"),
    ("for HG-100001, Its LS6 2QT", None),
    ("also need to change address for HG-100001, its LS6 2QT currently", None),
    # a house's name is its first line
    ("Rose Cottage, Mill Lane, Leeds LS6 2QT", "Rose Cottage, Mill Lane, Leeds LS6 2QT"),
    # a question before the house number, in the same part (a customer run)
    ("i just told you?? 5 Park Row, Leeds, LS1 5HD", "5 Park Row, Leeds LS1 5HD"),
    ("what?! its 5 Park Row, Leeds, LS1 5HD", "5 Park Row, Leeds LS1 5HD"),
    # ... or a sentence of theirs ended with a full stop (saved in the street: a customer run)
    ("i just told you. 12 Park Road, Leeds LS6 3AB", "12 Park Road, Leeds LS6 3AB"),
    ("said it already... its 12 Park Road, Leeds LS6 3AB", "12 Park Road, Leeds LS6 3AB"),
    # an abbreviation's full stop is the address's own
    ("Apt. 4, 22 Baker Street, London NW1 6XE", "Apt. 4, 22 Baker Street, London NW1 6XE"),
])
def test_words_to_us_and_order_numbers_are_no_part_of_an_address(text, address):
    read = parse_address(text)
    assert (read.one_line() if read else None) == address


def test_an_address_told_after_a_question_in_the_request():
    """A customer run: the address form asked for the address this request had given."""
    told = address_in_request("hmm actually no, can i just send it to my work address instead? "
                              "its 5 park row leeds LS1 5HD")
    assert told is not None and told.one_line() == "5 park row, Leeds LS1 5HD"


def test_an_address_told_before_the_orders_postcode_in_the_request():
    """A customer run: the order's postcode told as proof after the new address, and the form
    asked for the address again."""
    told = address_in_request("hi can i change the address on HG-100001 to 12 Park Road, Leeds LS6 3AB? "
                              "postcode on the order is LS6 2QT")
    assert told is not None and told.one_line() == "12 Park Road, Leeds LS6 3AB"
    assert address_in_request("change the address on HG-100001, the postcode is LS6 2QT") is None
