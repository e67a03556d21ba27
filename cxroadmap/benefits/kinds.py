"""The kinds of economic benefit an initiative can bring, with how their drivers read."""

from cxroadmap.choices import Choices
from cxroadmap.i18n import texts_beside

BENEFIT_KINDS = Choices.of(texts_beside(__file__)["BENEFIT_KINDS"])
