"""What may be done to surveys and customers' answers, and by whom: the same answer for the pages and the API."""

from cxroadmap.access import Act

CHANGE_SURVEY = Act("survey.change", "steering")
# Finding, exporting and erasing one person's answers, and the retention period: the organisation's administrator.
MANAGE_PRIVACY = Act("survey.privacy", "admin")
