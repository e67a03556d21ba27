"""Forms of follow-up cases: the organisation's settings, and working one case."""

from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from cxroadmap.cases.customer_message import DEFAULT_MESSAGES
from cxroadmap.cases.kinds import CASE_STATUSES
from cxroadmap.cases.rules import causes_as_text
from cxroadmap.fields import Form, OptionalSelect, VersionField
from cxroadmap.i18n import _l


class SettingsForm(Form):
    nps_at_most = IntegerField(_l("NPS at most (0–10)"), validators=[Optional()],
                               description=_l("Detractors: 0 to 6. Empty: NPS answers open no cases."))
    csat_at_most = IntegerField(_l("CSAT at most (1–5)"), validators=[Optional()],
                                description=_l("Dissatisfied: 1 or 2."))
    ces_at_most = IntegerField(_l("CES at most (1–7)"), validators=[Optional()],
                               description=_l("High effort: 1 to 3 on a scale where 7 is very easy."))
    gap_at_most = IntegerField(_l("Touchpoint gap at most (−6–0)"), validators=[Optional()],
                               description=_l("Perception minus expectation: −2 or worse."))
    service_days = IntegerField(_l("Service level (working days)"),
                                validators=[InputRequired(_l("Give the number of working days."))],
                                description=_l("How long the team has to follow a case up, Monday to Friday in the "
                                               "organisation's time zone."))
    root_causes = TextAreaField(_l("Root causes"),
                                description=_l("One a line: the English name, a bar, the Dutch name."))
    tells_customer = BooleanField(_l("Send the customer a short message when their case is resolved (only to "
                                     "customers who agreed to be contacted and gave an email address)"))
    customer_message_en = TextAreaField(_l("Message in English"), render_kw={"maxlength": 2000},
                                        description=_l("Placeholders: {name}, {touchpoint}, {organisation}, {case}."))
    customer_message_nl = TextAreaField(_l("Message in Dutch"), render_kw={"maxlength": 2000},
                                        description=_l("Sent to customers who answered in Dutch."))
    version = VersionField()

    def __init__(self, settings, causes, *args, **kwargs):
        super().__init__(*args, obj=settings, **kwargs)
        if not self.is_submitted():
            self.root_causes.data = causes_as_text(causes)
            self.version.data = settings.version or None
            self.customer_message_en.data = settings.customer_message_en or DEFAULT_MESSAGES["en"]
            self.customer_message_nl.data = settings.customer_message_nl or DEFAULT_MESSAGES["nl"]

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "nps_at_most", "csat_at_most", "ces_at_most", "gap_at_most", "service_days")} | {
            "root_causes_text": self.root_causes.data or "", "expected_version": self.version.data,
            "tells_customer": bool(self.tells_customer.data),
            "customer_message_en": self.customer_message_en.data or "",
            "customer_message_nl": self.customer_message_nl.data or ""}


class CaseForm(Form):
    status = SelectField(_l("Status"), choices=CASE_STATUSES.form_choices())
    owner_id = OptionalSelect(_l("Owner"), coerce=int)
    outcome = TextAreaField(_l("Outcome of the contact"),
                            description=_l("What the customer said, and what was done. Needed to close the case."))
    root_cause = SelectField(_l("Root cause"))
    initiative_ref = StringField(_l("Fixed by initiative"), render_kw={"maxlength": 32},
                                 description=_l("Systemic? Name the initiative that removes the cause: INIT-7."))
    notes = TextAreaField(_l("Notes"))
    seen_status = HiddenField()

    def __init__(self, case, owners, causes, language, *args, **kwargs):
        super().__init__(*args, obj=case, **kwargs)
        self.owner_id.choices = [("", _l("Nobody yet"))] + [(member.id, member.name) for member in owners]
        names = [(cause["key"], cause["nl" if language == "nl" else "en"]) for cause in causes]
        if case.root_cause and case.root_cause not in {key for key, _name in names}:
            names.append((case.root_cause, case.root_cause))
        self.root_cause.choices = [("", _l("Not known yet"))] + names
        if not self.is_submitted():
            self.seen_status.data = case.status
            self.initiative_ref.data = case.initiative.ref if case.initiative else ""

    def values(self) -> dict:
        return {"status": self.status.data, "owner_id": self.owner_id.data, "outcome": self.outcome.data or "",
                "root_cause": self.root_cause.data or "", "notes": self.notes.data or "",
                "initiative_ref": self.initiative_ref.data or "", "seen_status": self.seen_status.data or None}
