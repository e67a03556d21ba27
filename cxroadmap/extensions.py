"""The Flask extensions, created unbound; create_app binds them; and the unit of work of commands and runs."""

import time
from contextlib import contextmanager

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage

from cxroadmap.database import Base, writing

# db.Model names a model's table after its class (CoalitionMember: coalition_member); a model says __tablename__
# only where its table is named otherwise.
db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


class SweptMemoryStorage(MemoryStorage):
    """The limits' counts of memory:// (RATELIMIT_STORAGE_URI), with expired counts swept by the hit that finds a
    sweep due, at most once a second, where the library starts a timer thread every 10 ms while counts change: a
    thread started every few requests under a flood of survey answers. Expired counts are never read either way
    (each read drops its own). Registered for memory:// itself, so the setting means what the README says."""

    STORAGE_SCHEME = ["memory"]
    SWEEP_SECONDS = 1.0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.next_sweep = time.monotonic() + self.SWEEP_SECONDS

    def _MemoryStorage__schedule_expiry(self) -> None:  # the library's hook, called before each count changes
        now = time.monotonic()
        if now >= self.next_sweep:
            self.next_sweep = now + self.SWEEP_SECONDS
            self._MemoryStorage__expire_events()


# No default limits: only the sign-in steps are limited, where they are declared.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@contextmanager
def unit_of_work():
    """What a command or a background run writes, as one transaction (a request has its own, web.finish_request):
    begun by taking SQLite's write lock at once, committed when the block ends, rolled back when anything in it
    raises, the exception going on to the caller, which tells it in its own way (one line and exit 1 for a
    command, a failed job's row)."""
    with writing():
        try:
            yield db.session
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
