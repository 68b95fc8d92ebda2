"""The staff areas' blueprints, each guarded once: /mod for hosts, /admin for admins.

Several domains add pages to them (their ``*_views`` modules), so they are declared here, below every domain,
and each domain's ``wiring`` imports the modules that add its pages; ``moderation`` and ``admin`` register them.
"""
from flask import Blueprint

from app.security.guards import guard_area
from app.security.roles import Permission

moderation_area = Blueprint("moderation", __name__, url_prefix="/mod")
guard_area(moderation_area, Permission.VIEW_MOD_QUEUE)

admin_area = Blueprint("admin", __name__, url_prefix="/admin")
guard_area(admin_area, Permission.MANAGE_COMMUNITY)
