"""The bank holidays of England and Wales (ground/bank_holidays.py)."""

from datetime import date

from ground.bank_holidays import bank_holidays


def test_the_bank_holidays_of_england_and_wales_with_their_substitutes():
    assert bank_holidays(2026) == {date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4),
                                   date(2026, 5, 25), date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28)}
    # Christmas on a Saturday: Monday and Tuesday; New Year on a Friday stays
    assert bank_holidays(2027) == {date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3),
                                   date(2027, 5, 31), date(2027, 8, 30), date(2027, 12, 27), date(2027, 12, 28)}
    # New Year on a Sunday: Monday
    assert date(2023, 1, 2) in bank_holidays(2023) and date(2023, 1, 1) not in bank_holidays(2023)
