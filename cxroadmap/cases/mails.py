"""The mails of follow-up cases: a case opened for you, and once, a reminder when it is overdue."""

from datetime import datetime

from sqlalchemy import func, select

from cxroadmap.accounts.models import User
from cxroadmap.cases import services
from cxroadmap.cases.models import Case
from cxroadmap.extensions import db
from cxroadmap.i18n import _, in_language, known, ngettext
from cxroadmap.mail import Mail, absolute_url, mail_kind, queue_mail, render_mail
from cxroadmap.measures.kinds import MEASURES
from cxroadmap.scheduler import work_log
from cxroadmap.timeutil import aware, zone


def _queue(kind: str, case: Case) -> int:
    people = services.recipients(case)
    for person in people:
        queue_mail(kind, {"case_id": case.id, "to": person.email, "name": person.name})
    return len(people)


def queue_opened_mail(case: Case) -> int:
    """Queue the mail telling the case's people it opened (sent once the transaction is committed)."""
    return _queue("case_opened", case)


def _language(email: str, fallback: str) -> str:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    return known(getattr(user, "locale", None)) or known(fallback) or "en"


def _case_mail(kind: str, parameters: dict) -> Mail | None:
    case = db.session.get(Case, int(parameters["case_id"]))
    if case is None or case.closed or (kind == "overdue" and case.status != "new"):
        return None
    organisation = case.organisation
    language = _language(parameters["to"], organisation.locale)
    due = aware(case.due_at).astimezone(zone(organisation.time_zone))
    link = absolute_url("cases.show", slug=organisation.slug, case_id=case.id)
    text, html = render_mail("case", language, kind=kind, case=case, organisation=organisation, due=due,
                             name=parameters.get("name") or parameters["to"], link=link,
                             measure=MEASURES.label(case.measure) if case.measure else "")
    with in_language(language):
        where = case.touchpoint.name if case.touchpoint else _("the relationship")
        if kind == "overdue":
            subject = _("Overdue: follow-up case #%(number)s (%(where)s)", number=case.id, where=where)
        else:
            subject = _("New follow-up case #%(number)s (%(where)s)", number=case.id, where=where)
    return Mail(parameters["to"], subject, text, html)


@mail_kind("case_opened")
def case_opened_mail(parameters: dict, now: datetime) -> Mail | None:
    return _case_mail("opened", parameters)


@mail_kind("case_overdue")
def case_overdue_mail(parameters: dict, now: datetime) -> Mail | None:
    return _case_mail("overdue", parameters)


def remind_overdue(now: datetime) -> int:
    """Queue one reminder for every case that became overdue and was not reminded of yet; how many cases."""
    reminded = 0
    for case in services.overdue_unreminded(now):
        case.reminded_at = now
        _queue("case_overdue", case)
        work_log.info("reminded of overdue follow-up case #%s", case.id)
        reminded += 1
    db.session.commit()
    return reminded


def reminders_due(now: datetime) -> int:
    return len(services.overdue_unreminded(now))


def said(count: int) -> str:
    return ngettext("Reminded of %(num)d overdue case.", "Reminded of %(num)d overdue cases.", count)
