"""Raters' personal links: a token per rater, never stored, found again only through its hash.

A token is the HMAC-SHA256, under a key derived from the application's secret key, of a 128-bit random salt
drawn from `secrets` for that rater: 256 bits that nobody can work out from the database alone (it holds the
salt and the token's SHA-256, never the token), and that the application can write again for a reminder.
Issuing a new salt kills the old link at once.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import date

from flask import current_app, url_for
from sqlalchemy import select

from cxroadmap.assessments.models import AssessmentRater
from cxroadmap.extensions import db

TOKEN_BYTES = 32
SALT_BYTES = 16
MAX_TOKEN_LENGTH = 100
# Compared against when no rater has the hash, so that a miss does the same work as a hit.
_NOBODY = "0" * 64


def _key() -> bytes:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hashlib.sha256(b"cxroadmap assessment links\x00" + secret).digest()


def token_for(rater: AssessmentRater) -> str:
    """The rater's token, written from their salt: the same every time until a new one is issued."""
    digest = hmac.new(_key(), rater.token_salt.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:TOKEN_BYTES]).decode().rstrip("=")


def hash_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(rater: AssessmentRater) -> str:
    """Give the rater a new token (any earlier one stops working); returns it."""
    rater.token_salt = secrets.token_hex(SALT_BYTES)
    token = token_for(rater)
    rater.token_hash = hash_of(token)
    return token


def rater_by_token(token: str, on: date) -> AssessmentRater | None:
    """The rater whose link this is, if it still works on `on`: not withdrawn, round not closed. Else None.

    The row is found by the hash (an index lookup learns nothing of the token), then the hashes are
    compared in constant time; an unknown, withdrawn and expired link all take the same road to None.
    """
    candidate = token if isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_LENGTH else ""
    wanted = hash_of(candidate)
    rater = db.session.scalar(select(AssessmentRater).where(AssessmentRater.token_hash == wanted))
    stored = rater.token_hash if rater is not None else _NOBODY
    same = compare_digest(stored, wanted)
    if not (same and candidate and rater is not None):
        return None
    if rater.withdrawn or not rater.round.is_open(on):
        return None
    return rater


def compare_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def rater_link(rater: AssessmentRater, external: bool = True) -> str:
    """The rater's personal link (for a page, or an email: external by default)."""
    return url_for("rater.answer", token=token_for(rater), _external=external)
