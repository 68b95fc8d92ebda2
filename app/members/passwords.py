"""Password hashing with argon2id; the cost comes from config so tests stay fast."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 10


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=int(config["ARGON2_TIME_COST"]),
        memory_cost=int(config["ARGON2_MEMORY_COST"]),
        parallelism=int(config["ARGON2_PARALLELISM"]),
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the email is unknown, so timing does not reveal registered emails.
_DUMMY = {}


def dummy_verify(password: str) -> None:
    key = current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_COST"]
    if key not in _DUMMY:
        _DUMMY[key] = hash_password("teahouse-timing-equaliser")
    verify_password(_DUMMY[key], password)
