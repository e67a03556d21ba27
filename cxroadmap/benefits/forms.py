"""The benefit estimate form."""

from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import Optional

from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.fields import DayField, DecimalText, Form, VersionField
from cxroadmap.i18n import _l


class BenefitForm(Form):
    kind = SelectField(_l("Kind of benefit"), choices=BENEFIT_KINDS.form_choices())
    description = TextAreaField(_l("Description"), render_kw={"maxlength": 2000})
    volume = DecimalText(_l("Volume"), description=_l("Customers, contacts, returns … per year."))
    rate = DecimalText(_l("Rate"), allow_percent=True,
                       description=_l("Churn reduction, uplift or reduction: 0.02 or 2%."))
    unit_value = DecimalText(_l("Unit value"), description=_l("Yearly value per customer, or cost per unit."))
    annual_amount = DecimalText(_l("Annual amount"), description=_l("Only when there are no drivers."))
    confidence = DecimalText(_l("Confidence"), allow_percent=True, description=_l("How sure: 0.7 or 70%."))
    starts_on = DayField(_l("Starts on"), validators=[Optional()],
                          description=_l("Empty: when the initiative starts."))
    ramp_months = IntegerField(_l("Ramp-up (months)"), default=0, validators=[Optional()],
                               description=_l("Months until the full amount is earned."))
    version = VersionField()

    def domain_problems(self):
        from cxroadmap.benefits.services import benefit_problems

        return benefit_problems(self.values())

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "kind", "description", "volume", "rate", "unit_value", "annual_amount", "confidence",
            "starts_on", "ramp_months")}
