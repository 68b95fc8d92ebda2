"""review queue: at most one open item per post and kind, kept by a partial unique index

Every path that queues a post now updates the item already waiting; the index makes two racing requests unable
to queue the same post twice. Should an older database hold such twins, the newest stays open and the others
are closed as "merged" (closed items are kept, with when; nothing is deleted).

Revision ID: 0013_one_open_review_item
Revises: 0012_search_statistics
Create Date: 2026-12-02 12:15:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_one_open_review_item'
down_revision = '0012_search_statistics'
branch_labels = None
depends_on = None

OPEN = sa.text("handled_at IS NULL")


def upgrade():
    item = sa.table("review_item", sa.column("id"), sa.column("post_id"), sa.column("kind"),
                    sa.column("handled_at", sa.DateTime(timezone=True)), sa.column("action"))
    newer = item.alias("newer")
    has_newer_twin = sa.select(newer.c.id).where(
        newer.c.post_id == item.c.post_id, newer.c.kind == item.c.kind, newer.c.handled_at.is_(None),
        newer.c.id > item.c.id).exists()
    op.execute(item.update().where(item.c.handled_at.is_(None), has_newer_twin)
               .values(handled_at=sa.func.current_timestamp(), action="merged"))
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.create_index('uq_review_item_open_post_kind', ['post_id', 'kind'], unique=True,
                              sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade():
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.drop_index('uq_review_item_open_post_kind', sqlite_where=OPEN, postgresql_where=OPEN)
