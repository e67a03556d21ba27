"""What may be done to the journey, and by whom: the same answer for the pages and the API."""

from cxroadmap.access import Act

SCORE_TOUCHPOINT = Act("touchpoint.score", "contributor")
