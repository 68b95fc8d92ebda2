"""members paged by keyset: the index on user.created_at gains the id that breaks ties

The admin's member list pages "older than (created_at, id)" instead of by OFFSET with a count; an index on both
columns answers each page from its edge, whichever page it is.

Revision ID: 0025_perf_keyset_indexes
Revises: 0020_spam_classifier
Create Date: 2026-12-07 14:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_perf_keyset_indexes'
down_revision = '0020_spam_classifier'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index('ix_user_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_user_created_at'))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_created_at'), ['created_at'], unique=False)
        batch_op.drop_index('ix_user_created_at_id')
