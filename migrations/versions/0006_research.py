"""research: exports and coding

Revision ID: 0006_research
Revises: 0005_tasks_uploads
Create Date: 2026-11-23 04:22:37.431205

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_research'
down_revision = '0005_tasks_uploads'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.Column('description', sa.String(length=1000), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_code_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['code.id'], name=op.f('fk_code_parent_id_code'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code')),
    sa.UniqueConstraint('name', name=op.f('uq_code_name'))
    )
    op.create_table('export_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=120), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_export_run_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_run'))
    )
    with op.batch_alter_table('export_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_run_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_run_status'), ['status'], unique=False)

    op.create_table('coded_excerpt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('memo', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['code.id'], name=op.f('fk_coded_excerpt_code_id_code'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_coded_excerpt_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_coded_excerpt_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coded_excerpt'))
    )
    with op.batch_alter_table('coded_excerpt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coded_excerpt_code_id'), ['code_id'], unique=False)
        batch_op.create_index('ix_coded_excerpt_post_code', ['post_id', 'code_id'], unique=False)



def downgrade():
    with op.batch_alter_table('coded_excerpt', schema=None) as batch_op:
        batch_op.drop_index('ix_coded_excerpt_post_code')
        batch_op.drop_index(batch_op.f('ix_coded_excerpt_code_id'))

    op.drop_table('coded_excerpt')
    with op.batch_alter_table('export_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_run_status'))
        batch_op.drop_index(batch_op.f('ix_export_run_created_by_id'))

    op.drop_table('export_run')
    op.drop_table('code')
