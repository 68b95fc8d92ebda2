"""Domain errors raised by services and shown to the member next to the field they concern."""
from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses; ``field`` names the form field the message belongs to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
