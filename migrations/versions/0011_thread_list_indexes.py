"""thread lists: indexes that serve "published threads, pinned first, latest activity first" without a sort

Revision ID: 0011_thread_list_indexes
Revises: 0010_competition_vote_keys
Create Date: 2026-11-23 11:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_thread_list_indexes'
down_revision = '0010_competition_vote_keys'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.create_index('ix_thread_state_pinned_last_post', ['state', 'is_pinned', 'last_post_at'],
                              unique=False)
        batch_op.create_index('ix_thread_category_state_pinned_last_post',
                              ['category_id', 'state', 'is_pinned', 'last_post_at'], unique=False)


def downgrade():
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.drop_index('ix_thread_category_state_pinned_last_post')
        batch_op.drop_index('ix_thread_state_pinned_last_post')
