"""The mails of follow-up cases: a case opened for you, and once, a reminder when it is overdue; and, when the
organisation chose so, a short message to the customer whose case was resolved."""

from datetime import datetime
from html import escape

from flask import g, has_request_context
from sqlalchemy import func, select

from cxroadmap.accounts.models import User
from cxroadmap.cases import services
from cxroadmap.cases.customer_message import DEFAULT_MESSAGES, filled
from cxroadmap.cases.models import Case
from cxroadmap.extensions import db
from cxroadmap.i18n import _, in_language, known, ngettext
from cxroadmap.mail import Mail, absolute_url, mail_kind, one_line, queue_mail, render_mail, send_queued_soon
from cxroadmap.measures.kinds import MEASURES
from cxroadmap.organisations.models import Organisation
from cxroadmap.scheduler import work_log
from cxroadmap.timeutil import aware, zone
from cxroadmap.web import after_commit


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


# -- the customer told their case is resolved ----------------------------------------------------------------------

def _tells(case: Case) -> bool:
    """Whether this case's customer is to be told: resolved, the customer agreed to be contacted and gave an email
    address, not told before, and the organisation tells its customers."""
    return (case.status == "resolved" and case.customer_told_at is None and bool(case.contact)
            and "@" in case.contact and services.settings_of(case.organisation).tells_customer)


def update_case_and_tell(organisation: Organisation, case: Case, **values) -> Case:
    """Work the case (services.update_case); when it was just resolved and the organisation tells its customers,
    queue the message to the customer, sent by the background work once the request is committed."""
    was = case.status
    updated = services.update_case(organisation, case, **values)
    if updated.status != was and _tells(updated):
        queue_mail("case_customer_told", {"case_id": updated.id})
        if has_request_context() and send_queued_soon not in g.get("after_commit", []):
            after_commit(send_queued_soon)
    return updated


def _paragraphs(text: str) -> str:
    """Plain text as HTML: every character escaped, blank lines between paragraphs, line breaks kept."""
    return "".join(f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in text.split("\n\n") if part.strip())


@mail_kind("case_customer_told")
def customer_told_mail(parameters: dict, now: datetime) -> Mail | None:
    """The organisation's message in the language the customer answered in, its placeholders filled in; the case
    notes when it was sent (committed with the sending). None when nothing is to be sent any more."""
    case = db.session.get(Case, int(parameters["case_id"]))
    if case is None or not _tells(case):
        return None
    organisation, settings = case.organisation, services.settings_of(case.organisation)
    language = "nl" if (case.language or "").startswith("nl") else "en"
    template = getattr(settings, f"customer_message_{language}") or DEFAULT_MESSAGES[language]
    with in_language(language):
        values = {"name": case.contact_name or _("customer"), "organisation": organisation.name,
                  "touchpoint": case.touchpoint.name if case.touchpoint else _("our service"), "case": str(case.id)}
        subject = _("Your feedback to %(organisation)s", organisation=organisation.name)
    text = filled(template, values)
    case.customer_told_at = now
    return Mail(case.contact, one_line(subject), text, _paragraphs(text))
