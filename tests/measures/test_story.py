"""The KPIs' line of the reports' story: a change gets a verdict only when the readings can carry one."""

from datetime import date
from decimal import Decimal

from cxroadmap.measures.story import KpiMove, kpi_move_sentence, verdict


def test_a_change_without_enough_answers_or_any_number_of_answers_gets_no_verdict():
    move = KpiMove("NPS", "nps", "", Decimal("20"), Decimal("22"), date(2026, 1, 1), date(2026, 6, 1), 1000, 1000)
    assert verdict(move) == "none"  # 2 points on 1,000 answers each is within the noise
    assert verdict(KpiMove("C", "ces", "", Decimal("5"), Decimal("6"), date(2026, 1, 1), date(2026, 6, 1), 500,
                           500)) is None  # a reading keeps no spread to test a mean against
    plain = KpiMove("D", "days", "", Decimal("5"), Decimal("4"), date(2026, 1, 1), date(2026, 6, 1), None, None)
    assert verdict(plain) is None
    assert kpi_move_sentence(plain) == "D went from 5 to 4 between Jan 1, 2026 and Jun 1, 2026."
