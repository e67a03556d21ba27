"""The importance–performance chart of a survey, and its "fix first" touchpoints on the journey page and in the
roadmap report: the touchpoint that moves the score most and does worst is named wherever the committee looks."""

import re

from cxroadmap.i18n import in_language
from tests.helpers import page_text
from tests.reports.test_reports import render, text_of
from tests.surveys.helpers import journey, live_survey
from tests.surveys.test_drivers import _answers


def _surveyed(slug="acme", name="Delivery before 10:00"):
    """Delivery drives the score (all of it) and does worse (2.5 against 6.5): fix first; the invoice does well
    and explains none of the score: possible overkill."""
    organisation, delivery, invoice = journey(slug)
    delivery.name = name
    survey = live_survey(organisation, rated=[delivery, invoice])
    _answers(survey, delivery, invoice)
    return organisation, survey


def _svg(browser, slug, survey, width):
    response = browser.get(f"/o/{slug}/surveys/{survey.id}/drivers.svg?w={width}")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    return response.get_data(as_text=True)


def test_the_chart_names_each_quadrant_and_touchpoint_in_text_no_smaller_than_11_px(client_as):
    organisation, survey = _surveyed()
    browser = client_as("viewer", organisation)
    page = browser.get(f"/o/acme/surveys/{survey.id}").get_data(as_text=True)
    widths = set(re.findall(r"drivers\.svg\?w=(\d+)", page))
    assert widths == {"720", "560", "340"}
    for width in widths:
        svg = _svg(browser, "acme", survey, width)
        sizes = [float(size) for size in re.findall(r"font-size[:=]\s*\"?([\d.]+)", svg)]
        assert min(sizes) >= 11, (width, min(sizes))
        for name in ("Fix first", "Keep it up", "Lower priority", "Possible overkill", "Invoice",
                     "Importance: share of the explained score", "Performance: mean rating (1–7)"):
            assert f">{name}<" in svg, (width, name)
        assert "Delivery" in svg
    svg = _svg(browser, "acme", survey, 720)
    assert "<title>Importance against performance of the touchpoints rated</title>" in svg
    assert ("<desc>Delivery before 10:00: 100.0 % of the explained score, mean rating 2.5, fix first. "
            "Invoice: 0.0 % of the explained score, mean rating 6.5, possible overkill.</desc>") in svg
    dutch = _svg(client_as("viewer", organisation, locale="nl"), "acme", survey, 720)
    assert ">Eerst verbeteren<" in dutch and "100,0 %" in dutch


def test_user_text_in_the_chart_is_escaped(client_as):
    organisation, survey = _surveyed(name="Deliver <b>& on time")
    svg = _svg(client_as("viewer", organisation), "acme", survey, 720)
    assert "<b>" not in svg and "Deliver &lt;b&gt;&amp; on time" in svg


def test_without_an_analysis_the_chart_says_why(client_as):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    svg = _svg(client_as("viewer", organisation), "acme", survey, 720)
    assert "This survey rates no touchpoints." in svg


def test_another_organisations_chart_is_not_found(client_as):
    _organisation, survey = _surveyed()
    outsider = journey("other")[0]
    assert client_as("admin", outsider).get(f"/o/other/surveys/{survey.id}/drivers.svg").status_code == 404


def test_the_journey_page_names_and_marks_the_touchpoints_to_fix_first(client_as):
    organisation, survey = _surveyed()
    quiet = journey("quiet")[0]
    english = page_text(client_as("viewer", organisation).get("/o/acme/journey"))
    assert ("Fix first What customers’ answers say moves their score most while doing worse than the other "
            "touchpoints rated") in english
    assert "Delivery before 10:00: 100.0 % of the explained score, mean rating 2.5 · How are we doing?" in english
    page = client_as("viewer", organisation).get("/o/acme/journey").get_data(as_text=True)
    assert page.count('class="tp-mark"') == 1
    dutch = page_text(client_as("viewer", organisation, locale="nl").get("/o/acme/journey"))
    assert "Eerst verbeteren" in dutch and "100,0 %" in dutch
    # Another organisation's journey says nothing of it.
    assert "Fix first" not in page_text(client_as("viewer", quiet).get("/o/quiet/journey"))


def test_the_roadmap_report_lists_the_touchpoints_to_fix_first(app):
    organisation, _survey = _surveyed(name="Delivery <before> 10:00 & more")
    english = text_of(render(organisation))
    assert "Fix first: important touchpoints that do worse" in english
    assert "Delivery <before> 10:00 & more How are we doing? 100.0 % 2.5" in english
    assert "Invoice How are we doing?" not in english
    with in_language("nl"):
        dutch = text_of(render(organisation))
    assert "Eerst verbeteren: belangrijke contactpunten die slechter scoren" in dutch and "100,0 % 2,5" in dutch


def test_a_report_without_survey_drivers_has_no_fix_first_part(app):
    organisation, _touchpoint, _other = journey()
    assert "Fix first" not in text_of(render(organisation))


def test_names_crowded_together_are_placed_clear_of_each_other_on_a_phone():
    """Four touchpoints, three of them close together at the bottom right (as in the demo): at the phone's width no
    two names overlap and none runs out of the drawing."""
    from decimal import Decimal

    from reportlab.graphics.shapes import String

    from cxroadmap.charts.drawings import _width
    from cxroadmap.surveys.chart import PlottedDriver, importance_performance

    points = [PlottedDriver("The part is on site before 10:00", Decimal("58.4"), Decimal("4.3"), "fix_first"),
              PlottedDriver("Right part, first time", Decimal("26.5"), Decimal("5.3"), "keep_up"),
              PlottedDriver("Calling the order desk", Decimal("9.5"), Decimal("5.6"), "possible_overkill"),
              PlottedDriver("Invoice matches the quote", Decimal("5.6"), Decimal("5.8"), "possible_overkill")]
    names = {"fix_first": "Eerst verbeteren", "keep_up": "Zo houden", "lower_priority": "Minder dringend",
             "possible_overkill": "Mogelijk te veel gedaan"}
    drawing = importance_performance(points, Decimal(25), Decimal("5.25"), 340, names, ("Belang", "Prestatie"))
    boxes = []
    for shape in drawing.contents:
        if isinstance(shape, String) and shape.text and not shape.text[0].isdigit():
            width = _width(shape.text, shape.fontName, shape.fontSize)
            left = {"start": shape.x, "end": shape.x - width, "middle": shape.x - width / 2}[shape.textAnchor]
            boxes.append((shape.text, left, shape.y - 2, left + width, shape.y + shape.fontSize * 0.75))
    assert all(box[1] >= 0 and box[3] <= 340 for box in boxes)
    for number, (text, x0, y0, x1, y1) in enumerate(boxes):
        for other, a0, b0, a1, b1 in boxes[number + 1:]:
            assert not (x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1), (text, other)
