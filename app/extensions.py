"""Extensions, created unbound and bound in ``create_app``."""
import ipaddress

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.db import Base, include_in_migrations, render_migration_item

db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_item=render_migration_item, include_name=include_in_migrations)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
def client_address() -> str:
    """The client's address for rate limits: IPv4 as is, IPv6 by its /64 (one subscriber's whole range)."""
    address = get_remote_address() or ""
    if ":" not in address:
        return address
    try:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    except ValueError:
        return address


limiter = Limiter(key_func=client_address)


def read_connection():
    """The session's connection, for prebuilt Core reads that pages run on every request.

    ``connection().execute`` skips the ORM's statement handling and costs about half of ``session.execute``;
    pending changes are flushed first, so the read sees them as an autoflushing ORM query would.
    """
    session = db.session
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection()


def member_key() -> str:
    """Rate-limit per signed-in member rather than per address (members may share an office's address)."""
    return f"member:{current_user.get_id()}"
