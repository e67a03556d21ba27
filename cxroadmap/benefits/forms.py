"""The benefit estimate form."""

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import Optional

from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.fields import DecimalText, VersionField


class BenefitForm(FlaskForm):
    kind = SelectField("Kind of benefit", choices=BENEFIT_KINDS.form_choices())
    description = TextAreaField("Description")
    volume = DecimalText("Volume", description="Customers, contacts, returns … per year.")
    rate = DecimalText("Rate", allow_percent=True, description="Churn reduction, uplift or reduction: 0.02 or 2%.")
    unit_value = DecimalText("Unit value", description="Yearly value per customer, or cost per unit.")
    annual_amount = DecimalText("Annual amount", description="Only when there are no drivers.")
    confidence = DecimalText("Confidence", allow_percent=True, description="How sure: 0.7 or 70%.")
    starts_on = DateField("Starts on", validators=[Optional()],
                          description="Empty: when the initiative starts.")
    ramp_months = IntegerField("Ramp-up (months)", default=0, validators=[Optional()],
                               description="Months until the full amount is earned.")
    version = VersionField()

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "kind", "description", "volume", "rate", "unit_value", "annual_amount", "confidence",
            "starts_on", "ramp_months")}
