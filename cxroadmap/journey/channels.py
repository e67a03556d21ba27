"""The channels a touchpoint is usually met through: suggestions only, a touchpoint may name any other."""

from cxroadmap.i18n import _l

USUAL_CHANNELS = [
    _l("Phone"), _l("Email"), _l("Webshop"), _l("Website"), _l("Store"), _l("Field service"), _l("Invoice"),
    _l("Delivery"), _l("Sales visit"), _l("Chat"), _l("Customer portal"), _l("Trade fair"), _l("Social media"),
    _l("Letter"),
]
