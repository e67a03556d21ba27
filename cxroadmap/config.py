"""Default settings; instance/config.py and CXROADMAP_* environment variables override them."""

# The database; None means the SQLite file instance/cxroadmap.sqlite.
DATABASE_URL = None

# None means: read instance/secret_key, generating it on first run.
SECRET_KEY = None

# Largest request body accepted (bytes); imports of big organisations go through the CLI.
MAX_CONTENT_LENGTH = 2 * 1024 * 1024

INITIATIVES_PER_PAGE = 25

# A team's latest role statement counts as current for this many days.
ROLE_STATEMENT_MAX_AGE_DAYS = 365

# Years over which NPV, ROI and payback of a benefit are worked out.
BENEFIT_HORIZON_YEARS = 3

SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
