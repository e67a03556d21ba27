"""Helpers of the survey tests: a survey made through the service, and an answer posted as a customer would."""

from datetime import timedelta

from cxroadmap.extensions import db
from cxroadmap.surveys.answering import shown_token
from cxroadmap.surveys.services import create_survey, set_state
from cxroadmap.timeutil import utcnow
from tests.factories import JourneyStageFactory, OrganisationFactory, TouchpointFactory


def journey(slug="acme"):
    organisation = OrganisationFactory(slug=slug, name=slug.title() + " B.V.")
    stage = JourneyStageFactory(organisation=organisation, name="Delivery")
    touchpoint = TouchpointFactory(stage=stage, key="delivery", name="Delivery before 10:00", moment_of_truth=True)
    other = TouchpointFactory(stage=stage, key="invoice", name="Invoice")
    db.session.commit()
    return organisation, touchpoint, other


def live_survey(organisation, touchpoint=None, measure="nps", rated=(), asks_gap=None, period="month", **fields):
    survey = create_survey(organisation, title=fields.pop("title", "How are we doing?"),
                           title_nl=fields.pop("title_nl", ""), touchpoint=touchpoint,
                           measure=measure, kpi=fields.pop("kpi", None), period=period,
                           asks_gap=touchpoint is not None if asks_gap is None else asks_gap, rated=list(rated),
                           asks_contact=True, texts=None)
    set_state(survey, "live")
    db.session.commit()
    return survey


def shown(code, seconds_ago=30):
    return shown_token(code, utcnow() - timedelta(seconds=seconds_ago))


def answer(browser, survey, seconds_ago=30, query="", **fields):
    data = {"shown": shown(survey.code, seconds_ago), "lang": "en", **{k: str(v) for k, v in fields.items()}}
    return browser.post(f"/f/{survey.code}{query}", data=data)
