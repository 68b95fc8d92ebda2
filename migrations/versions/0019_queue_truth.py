"""one truth per post in the review queue; versions for moderation actions; merge redirects; purge tombstones

- review_item: one open item per post whatever its kinds (a partial unique index on post_id replaces the one
  on post_id + kind); open twins are merged into the item of the strongest kind (spam > pending > flagged), which
  takes every kind's reasons, and the others are closed as "merged" (kept, nothing deleted). Items get a version
  and their reasons per kind.
- post.moderation_version: the version a host's action names; stale actions are refused.
- thread.merged_into_id and moved_post: a merged thread's old addresses redirect to where its posts went.
- canned_reply.owner_id / is_shared: hosts keep their own canned replies and share others.
- post_tombstone: what is left of each purged post.

Revision ID: 0019_queue_truth
Revises: 0017_former_display_names
Create Date: 2026-12-07 07:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_queue_truth'
down_revision = '0017_former_display_names'
branch_labels = None
depends_on = None

OPEN = sa.text("handled_at IS NULL")
RANK = {"flagged": 0, "pending": 1, "spam": 2}


def _merge_open_twins() -> None:
    """Merge each post's open review items into one (the strongest kind's), keeping every kind's reasons."""
    bind = op.get_bind()
    item = sa.table("review_item", sa.column("id"), sa.column("post_id"), sa.column("kind"), sa.column("score"),
                    sa.column("reasons", sa.JSON), sa.column("kind_reasons", sa.JSON),
                    sa.column("handled_at", sa.DateTime(timezone=True)), sa.column("action"))
    rows = bind.execute(sa.select(item.c.id, item.c.post_id, item.c.kind, item.c.score, item.c.reasons)
                        .where(item.c.handled_at.is_(None)).order_by(item.c.post_id, item.c.id)).all()
    by_post: dict[int, list] = {}
    for row in rows:
        by_post.setdefault(row.post_id, []).append(row)
    for twins in by_post.values():
        kinds = {row.kind: {"score": float(row.score or 0), "reasons": list(row.reasons or [])} for row in twins}
        keep = max(twins, key=lambda row: (RANK.get(row.kind, -1), row.id))
        merged: list = []
        for kind in sorted(kinds, key=lambda k: -RANK.get(k, -1)):
            merged += [reason for reason in kinds[kind]["reasons"] if reason not in merged]
        bind.execute(item.update().where(item.c.id == keep.id)
                     .values(kind_reasons=kinds, reasons=merged, score=kinds[keep.kind]["score"]))
        others = [row.id for row in twins if row.id != keep.id]
        if others:
            bind.execute(item.update().where(item.c.id.in_(others))
                         .values(handled_at=sa.func.current_timestamp(), action="merged"))


def upgrade():
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind_reasons', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    _merge_open_twins()
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.drop_index('uq_review_item_open_post_kind', sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.create_index('uq_review_item_open_post', ['post_id'], unique=True,
                              sqlite_where=OPEN, postgresql_where=OPEN)

    # Plain ALTER TABLE on post and thread: SQLite must not rebuild them (dropping the old table would cascade).
    op.add_column('post', sa.Column('moderation_version', sa.Integer(), server_default='0', nullable=False))
    op.add_column('thread', sa.Column('merged_into_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('canned_reply', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_shared', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_index(batch_op.f('ix_canned_reply_owner_id'), ['owner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_canned_reply_owner_id_user'), 'user', ['owner_id'], ['id'],
                                    ondelete='SET NULL')

    op.create_table(
        'moved_post',
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_moved_post_post_id_post'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['thread_id'], ['thread.id'], name=op.f('fk_moved_post_thread_id_thread'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('thread_id', 'number', name=op.f('pk_moved_post')),
    )
    with op.batch_alter_table('moved_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moved_post_post_id'), ['post_id'], unique=False)

    op.create_table(
        'post_tombstone',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('author_name', sa.String(length=40), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('thread_title', sa.String(length=200), nullable=False),
        sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('purged_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('purged_by_id', sa.Integer(), nullable=True),
        sa.Column('purged_by_name', sa.String(length=60), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('content_sha256', sa.String(length=64), nullable=False),
        sa.Column('flags', sa.JSON(), nullable=False),
        sa.Column('review_items', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_post_tombstone_author_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['purged_by_id'], ['user.id'], name=op.f('fk_post_tombstone_purged_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_post_tombstone')),
    )
    with op.batch_alter_table('post_tombstone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_tombstone_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_tombstone_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_tombstone_purged_at'), ['purged_at'], unique=False)


def downgrade():
    with op.batch_alter_table('post_tombstone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_tombstone_purged_at'))
        batch_op.drop_index(batch_op.f('ix_post_tombstone_post_id'))
        batch_op.drop_index(batch_op.f('ix_post_tombstone_author_id'))
    op.drop_table('post_tombstone')
    with op.batch_alter_table('moved_post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moved_post_post_id'))
    op.drop_table('moved_post')
    with op.batch_alter_table('canned_reply', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_canned_reply_owner_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_canned_reply_owner_id'))
        batch_op.drop_column('is_shared')
        batch_op.drop_column('owner_id')
    op.drop_column('thread', 'merged_into_id')  # ALTER TABLE … DROP COLUMN (SQLite 3.35+): no rebuild
    op.drop_column('post', 'moderation_version')
    # Several kinds may be open for one post again; the merged items stay closed.
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.drop_index('uq_review_item_open_post', sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.create_index('uq_review_item_open_post_kind', ['post_id', 'kind'], unique=True,
                              sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.drop_column('version')
        batch_op.drop_column('kind_reasons')
