"""A portion is counted by hand: its share is exact and its percentage rounds as people round."""

from decimal import Decimal

from cxroadmap.portions import Portion


def test_a_portion_says_its_share_and_whole_percentage():
    assert Portion(part=1, whole=4).share == Decimal("0.25")
    assert Portion(part=1, whole=4).percent == 25
    assert Portion(part=2, whole=3).percent == 67
    assert Portion(part=1, whole=3).percent == 33
    assert Portion(part=3, whole=3).share == Decimal(1)


def test_no_whole_has_no_share():
    assert Portion(part=0, whole=0).share is None
    assert Portion(part=0, whole=0).percent is None
