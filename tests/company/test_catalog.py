from company import catalog


def test_products_are_found_by_name_or_distinctive_word(session):
    assert catalog.find_product(session, "the nimbus").name == "Nimbus Headphones"
    assert catalog.find_product(session, "Aurora Kettle").warranty_months == 24
    assert catalog.find_product(session, "kettle").name == "Aurora Kettle"
    assert catalog.find_product(session, "speaker") is None  # two speakers: ambiguous
    assert catalog.find_product(session, "spaceship") is None
    # plurals: "do you sell toasters" named nothing
    assert catalog.find_product(session, "toasters").name == "Ember Toaster"
    assert catalog.find_product(session, "robot vacuums").name == "Drift Robot Vacuum"


def test_shipping_rates_by_country_name_alias_or_code(session):
    assert catalog.find_shipping_rate(session, "UK").country_code == "GB"
    assert catalog.find_shipping_rate(session, "the Netherlands").country_code == "NL"
    assert catalog.find_shipping_rate(session, "france").standard_pence == 995
    assert catalog.find_shipping_rate(session, "IE").country_name == "Ireland"
    assert catalog.find_shipping_rate(session, "the US").country_code == "US"
    assert catalog.find_shipping_rate(session, "the U.S").country_code == "US"
    assert catalog.find_shipping_rate(session, "the States").country_code == "US"
    assert catalog.find_shipping_rate(session, "Japan") is None


def test_plans_in_display_order(session):
    assert [plan.code for plan in catalog.plans(session)] == ["essential", "plus", "premium"]
