"""The moderators' area (/mod), guarded once; queue_views and curation_views add its routes."""
from flask import Blueprint

from app.security.guards import guard_area
from app.security.roles import Permission

bp = Blueprint("moderation", __name__, url_prefix="/mod")
guard_area(bp, Permission.VIEW_MOD_QUEUE)
