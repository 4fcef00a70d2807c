"""Questions about goods the shop may not sell (actions/range_questions.py)."""

from actions.range_questions import names_nothing_sold


def test_goods_sharing_a_word_with_a_product_are_never_said_not_sold(session):
    assert names_nothing_sold(session, "sofas")
    assert names_nothing_sold(session, "garden furniture")
    assert not names_nothing_sold(session, "toasters")
    assert not names_nothing_sold(session, "standing desks")  # the Lumen Desk Lamp
    assert not names_nothing_sold(session, "speakers")
