"""tasks and uploads

Revision ID: 0005_tasks_uploads
Revises: 0002_scheduler_moderation
Create Date: 2026-11-23 04:14:55.603209

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_tasks_uploads'
down_revision = '0002_scheduler_moderation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('instructions_html', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('min_photos', sa.Integer(), nullable=False),
    sa.Column('max_photos', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('is_masked', sa.Boolean(), nullable=False),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_task_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_opens_at'), ['opens_at'], unique=False)

    op.create_table('upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('attached_type', sa.String(length=40), nullable=True),
    sa.Column('attached_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_upload_owner_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload')),
    sa.UniqueConstraint('name', name=op.f('uq_upload_name'))
    )
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.create_index('ix_upload_attached', ['attached_type', 'attached_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_upload_owner_id'), ['owner_id'], unique=False)

    op.create_table('task_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_html', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_note', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_task_submission_reviewed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_submission_task_id_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_task_submission_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_submission')),
    sa.UniqueConstraint('task_id', 'user_id', name=op.f('uq_task_submission_task_id_user_id'))
    )
    with op.batch_alter_table('task_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_submission_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_submission_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('task_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_submission_user_id'))
        batch_op.drop_index(batch_op.f('ix_task_submission_task_id'))

    op.drop_table('task_submission')
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upload_owner_id'))
        batch_op.drop_index('ix_upload_attached')

    op.drop_table('upload')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_opens_at'))
        batch_op.drop_index(batch_op.f('ix_task_due_at'))

    op.drop_table('task')
