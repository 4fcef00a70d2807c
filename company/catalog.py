"""What Harbor Goods sells and where it delivers: products, plans and shipping rates."""

from __future__ import annotations

import re
from typing import Iterable, List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from company.models import Plan, Product, ShippingRate

# What customers call a country → ISO 3166 code used by the shipping table.
_COUNTRY_ALIASES = {
    "uk": "GB", "u.k.": "GB", "united kingdom": "GB", "great britain": "GB", "britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "gb": "GB",
    "usa": "US", "us": "US", "u.s.": "US", "u.s": "US", "united states": "US", "america": "US",
    "united states of america": "US", "states": "US", "holland": "NL", "the netherlands": "NL",
    "netherlands": "NL", "republic of ireland": "IE", "eire": "IE",
}


def plans(session: Session) -> Sequence[Plan]:
    return session.execute(select(Plan).order_by(Plan.position)).scalars().all()


def products(session: Session) -> Sequence[Product]:
    return session.execute(select(Product).order_by(Product.name)).scalars().all()


def best_matches(session: Session, text: Optional[str]) -> List[Product]:
    """The products whose names share the most words with the customer's, all of those that
    tie ('speaker': the Cove and the Orbit); none when no word matches."""
    wanted = name_words(text or "")
    if not wanted:
        return []
    scored = [(len(wanted & name_words(p.name)), p) for p in products(session)]
    best = max((score for score, _ in scored), default=0)
    return [product for score, product in scored if best and score == best]


def find_product(session: Session, text: Optional[str]) -> Optional[Product]:
    """The product a customer named: its name, or words of it ('the nimbus', 'kettle').

    None when nothing matches or two products match equally well ('speaker').
    """
    found = best_matches(session, text)
    return found[0] if len(found) == 1 else None


def the_other_product(session: Session, text: Optional[str], current: Optional[Product]) -> Optional[Product]:
    """The one product the words name besides `current`, where they name two ("the other
    speaker" after the Cove: the Orbit); None otherwise."""
    found = best_matches(session, text)
    others = [product for product in found if product != current]
    return others[0] if current in found and len(others) == 1 else None


def products_named_apart(session: Session, names: Iterable[str]) -> List[Product]:
    """The products that names told apart each name, each once, in the order named: "Cove",
    "speaker" and "Orbit" in "which is cheaper the cove speaker or the orbit one" name the Cove
    and the Orbit ("speaker" alone names two, so neither)."""
    found: List[Product] = []
    for name in names:
        product = find_product(session, name)
        if product is not None and product not in found:
            found.append(product)
    return found


def shipping_rates(session: Session) -> Sequence[ShippingRate]:
    return session.execute(select(ShippingRate).order_by(ShippingRate.country_name)).scalars().all()


def find_shipping_rate(session: Session, country: Optional[str]) -> Optional[ShippingRate]:
    """The rate for a country given by name, alias or code; None if we don't ship there."""
    if not country:
        return None
    key = country.strip().lower()
    key = key[4:] if key.startswith("the ") and _COUNTRY_ALIASES.get(key[4:]) else key
    code = _COUNTRY_ALIASES.get(key) or (key.upper() if len(key) == 2 else None)
    query = select(ShippingRate)
    if code:
        query = query.where(ShippingRate.country_code == code)
    else:
        name = key[4:] if key.startswith("the ") else key
        query = query.where(ShippingRate.country_name.ilike(name))
    return session.execute(query).scalar_one_or_none()


def name_words(text: str) -> set[str]:
    """The words that can name a product, without a plural's s ('the toasters' → {'the',
    'toaster'}: two letters or fewer are left out). Names lose their final s the same way
    ('nimbu'), so both sides compare alike."""
    return {word.rstrip("s") for word in re.findall(r"[a-z]+", text.lower()) if len(word) > 2}
