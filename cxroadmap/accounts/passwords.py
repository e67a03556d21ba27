"""Passwords: the rules a new one must meet, and hashing with Argon2id."""

import gzip
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1024

_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """About 20,000 passwords that attackers try first (shipped in the package; see data/NOTICE)."""
    data = resources.files("cxroadmap.accounts").joinpath("data/common-passwords.txt.gz").read_bytes()
    return frozenset(line.strip().lower() for line in gzip.decompress(data).decode().splitlines())


def password_problem(password: str, email: str = "") -> str | None:
    """Why password may not be used, or None when it may."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.strip().lower() in common_passwords():
        return "This password is one of the most common ones; choose another."
    if email and password.strip().lower() in (email.lower(), email.lower().split("@")[0]):
        return "Do not use your email address as your password."
    if len(set(password)) < 4:
        return "Use more different characters."
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether password matches; takes the same time for a missing hash, so a missing account is not told apart."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


_DUMMY_HASH = _hasher.hash("a password no account has, hashed once so failures cost the same")
