"""The one error a backup or restore raises: its message is shown to the operator as it is."""
from __future__ import annotations

from app.core.exceptions import DomainError


class BackupError(DomainError):
    """A backup that cannot be taken or an archive that cannot be restored, with the reason."""
