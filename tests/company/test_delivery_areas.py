"""The places a delivery question names (company/delivery_areas.py)."""

from __future__ import annotations

import pytest

from company.delivery_areas import countries_of_cities


@pytest.mark.parametrize("text, countries", [
    # a customer run: "how long to dublin" got the overview, as if no place were named
    ("how long to dublin", ["Ireland"]),
    ("how much is shipping to new york and paris", ["United States", "France"]),
    ("do you deliver in The Hague?", ["Netherlands"]),
    # a word that is a city's name, not after a place's "to", "in" …: no place
    ("thats nice, thanks", []), ("nice and quick please", []), ("how long does delivery take", []),
])
def test_a_city_stands_for_its_country(text, countries):
    assert countries_of_cities(text) == countries
