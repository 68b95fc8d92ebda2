"""Admin services: categories."""
from __future__ import annotations

from flask_babel import gettext as _

from app.core.exceptions import DomainError
from app.extensions import db
from app.forum.models import Category
from app.members.models import User
from app.moderation import audit
from app.text.markup import TextError, check_text, clean_line


def save_category(category: Category | None, *, by: User | None, name: str, description: str | None,
                  position: int | None) -> Category:
    """Create a category (``category`` None) or change one; audited."""
    try:
        name = clean_line(name)
        description = check_text((description or "").strip())
    except TextError as error:
        raise DomainError(str(error), "name") from error
    if len(name) < 2:
        raise DomainError(_("A name has at least 2 characters."), "name")
    before = None
    if category is None:
        category = Category(name=name)
        db.session.add(category)
    else:
        before = {"name": category.name, "description": category.description, "position": category.position}
    category.name, category.description, category.position = name, description, position or 0
    db.session.flush()
    audit.record(by, "category.create" if before is None else "category.update", category, before=before,
                 after={"name": name, "description": description, "position": category.position},
                 job=None if by else "cli")
    return category
