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
    "united states of america": "US", "holland": "NL", "the netherlands": "NL",
    "netherlands": "NL", "republic of ireland": "IE", "eire": "IE",
}


def plans(session: Session) -> Sequence[Plan]:
    return session.execute(select(Plan).order_by(Plan.position)).scalars().all()


def products(session: Session) -> Sequence[Product]:
    return session.execute(select(Product).order_by(Product.name)).scalars().all()


def find_product(session: Session, text: Optional[str]) -> Optional[Product]:
    """The product a customer named: its name, or words of it ('the nimbus', 'kettle').

    None when nothing matches or two products match equally well ('speaker').
    """
    wanted = name_words(text or "")
    if not wanted:
        return None
    scored = sorted(((len(wanted & name_words(p.name)), p) for p in products(session)),
                    key=lambda pair: pair[0], reverse=True)
    if not scored or scored[0][0] == 0:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


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
