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

# An open initiative with no status update for this many days needs attention.
STALE_UPDATE_DAYS = 30
# /healthz answers 503 when less than this is free beside the SQLite file.
HEALTH_MIN_FREE_BYTES = 16 * 1024 * 1024

# Years over which NPV, ROI and payback of a benefit are worked out.
BENEFIT_HORIZON_YEARS = 3

# A database server may drop an idle connection: each is tried before use (a SQLite file is not, see create_app).
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

# Whole answers of the overview and the dashboard kept per process, each for one browser session and address,
# and repeated while nothing they show has changed (accounts/page_cache.py); 0 keeps none.
KEPT_PAGES = 256

# Sign-in sessions end after this long without activity, and after this long in any case.
SESSION_IDLE_MINUTES = 120
SESSION_ABSOLUTE_HOURS = 12

# Cookies are sent over HTTPS only. `make run` turns this off for http://127.0.0.1.
SECURE_COOKIES = True

# Behind this many reverse proxies, trust their X-Forwarded-For/-Proto (0: none).
PROXY_HOPS = 0

# Failed sign-ins allowed per account and per address; Flask-Limiter's notation.
LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
LOGIN_LIMIT_PER_ADDRESS = "30 per 15 minutes"
# Raters' personal links: unknown, withdrawn or expired links opened from one address before 429.
ASSESS_LINK_LIMIT_PER_ADDRESS = "20 per 15 minutes"
# Where the counts are kept: memory:// for one process, redis://127.0.0.1:6379 for several workers.
RATELIMIT_STORAGE_URI = "memory://"

# Mail. Without MAIL_SERVER, messages are written to instance/outbox/*.eml instead of being sent.
MAIL_SERVER = None
MAIL_PORT = None  # 25, or 465 with MAIL_USE_SSL
MAIL_USE_TLS = False  # STARTTLS after connecting
MAIL_USE_SSL = False  # TLS from the start
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_DEFAULT_SENDER = "cxroadmap <cxroadmap@localhost>"

# Where people reach this installation: links in mail are made absolute with it.
BASE_URL = "http://127.0.0.1:5000"

# Invitation and password-reset links stay good this long; reset requests are limited like sign-ins.
INVITATION_DAYS = 7
PASSWORD_RESET_MINUTES = 60
PASSWORD_RESET_LIMIT_PER_ACCOUNT = "3 per hour"
PASSWORD_RESET_LIMIT_PER_ADDRESS = "10 per hour"

# Webhooks may not reach loopback, private, link-local or cloud-metadata addresses unless this is on.
ALLOW_PRIVATE_WEBHOOKS = False

# Identity providers (single sign-on) must be reached over HTTPS; this allows a plain-http issuer on loopback (tests,
# a closed network with the provider on the same machine).
SSO_ALLOW_HTTP_ISSUER = False

# Requests allowed per personal access token (Flask-Limiter's notation); the API answers 429 beyond.
API_RATE_LIMIT = "600 per minute"

# Long work (large reports and imports) runs in the background. With a Redis URL here it is queued for RQ
# workers (`flask --app cxroadmap worker`); without one it runs in JOB_THREADS threads of each web process.
JOB_QUEUE = None
JOB_THREADS = 1
# An answer taken through a survey's public link is stored at once; what it moves (the daily count, the KPI's reading,
# the touchpoint's scores, a follow-up case) is settled this many seconds later by a thread of the web process, with
# every answer that arrived meanwhile (the scheduler settles what a stopped process left within a minute).
SURVEY_SETTLE_SECONDS = 0.5
# On PostgreSQL, whether an answer through a public link waits for its commit to reach the disk (see the README).
SURVEY_ANSWER_DURABLE_COMMIT = False
# A job may run this long; one queued or running longer is shown failed (its process was restarted).
JOB_TIMEOUT_MINUTES = 20
# Finished jobs and their files are deleted this many days after they were asked for (by `flask notify`).
JOB_KEEP_DAYS = 7
# An organisation with more initiatives than this gets its PDF reports built in the background.
BACKGROUND_REPORT_INITIATIVES = 150
# ... and its spreadsheets of every initiative, its workbook and its cxroadmap/1 document: these cost less per
# initiative than a report (about a second for the workbook of 1,000; see README, "Large organisations").
BACKGROUND_DOWNLOAD_INITIATIVES = 1000
# An uploaded spreadsheet or cxroadmap/1 document larger than this (bytes) is imported in the background.
BACKGROUND_IMPORT_BYTES = 200 * 1024

# The scheduler (`flask --app cxroadmap scheduler`, and `make run`) beats this often: it takes or keeps the lease
# that lets one process act; a lease not renewed for SCHEDULER_LEASE_SECONDS passes to another scheduler, and
# /healthz calls the scheduler late. SCHEDULER_INTERVALS overrides a timed work's interval by its name, in
# seconds: {"webhooks": 5}.
SCHEDULER_BEAT_SECONDS = 10
SCHEDULER_LEASE_SECONDS = 60
SCHEDULER_INTERVALS: dict = {}
