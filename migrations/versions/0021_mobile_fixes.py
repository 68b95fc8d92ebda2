"""earlier versions of task answers: an edited answer goes back to review and the hosts see what it replaced

Revision ID: 0021_mobile_fixes
Revises: 0017_former_display_names
Create Date: 2026-12-07 07:15:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_mobile_fixes'
down_revision = '0024_mail_outbox'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'task_submission_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('text_html', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('review_note', sa.String(length=1000), nullable=True),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'],
                                name=op.f('fk_task_submission_revision_reviewed_by_id_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['submission_id'], ['task_submission.id'],
                                name=op.f('fk_task_submission_revision_submission_id_task_submission'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_task_submission_revision')),
        sa.UniqueConstraint('submission_id', 'number', name=op.f('uq_task_submission_revision_submission_id_number')),
    )
    with op.batch_alter_table('task_submission_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_submission_revision_submission_id'), ['submission_id'], unique=False)


def downgrade():
    with op.batch_alter_table('task_submission_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_submission_revision_submission_id'))
    op.drop_table('task_submission_revision')
