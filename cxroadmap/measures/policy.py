"""What may be done to KPIs, and by whom: the same answer for the pages and the API."""

from cxroadmap.access import Act

RECORD_READING = Act("kpi.record_reading", "steering")
