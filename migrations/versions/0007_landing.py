"""landing snapshot and announcements

Revision ID: 0007_landing
Revises: 0006_research
Create Date: 2026-11-23 04:58:37.918786

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_landing'
down_revision = '0006_research'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('landing_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('panels', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_landing_snapshot'))
    )
    op.create_table('announcement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_announcement_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement'))
    )
    with op.batch_alter_table('thread_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_read_last_read_at'), ['last_read_at'], unique=False)



def downgrade():
    with op.batch_alter_table('thread_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thread_read_last_read_at'))

    op.drop_table('announcement')
    op.drop_table('landing_snapshot')
