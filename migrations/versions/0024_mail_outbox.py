"""mail outbox, preferences, activity invitations and the health dashboard's daily rollups

Every email is an outbox row written with the event that causes it (dedupe key unique, claimed by the sender
before sending); members choose per kind of news: at once, in the digest, never. The health tables are kept by
the roll_up_health job so the dashboard never scans posts.

Revision ID: 0024_mail_outbox
Revises: 0017_former_display_names
Create Date: 2026-12-07 07:00:21.403053

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_mail_outbox'
down_revision = '0023_term_dictionary'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('health_cohort',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort', sa.Date(), nullable=False),
    sa.Column('offset_months', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('active', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_cohort')),
    sa.UniqueConstraint('cohort', 'offset_months', name=op.f('uq_health_cohort_cohort_offset_months'))
    )
    op.create_table('health_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('active_members', sa.Integer(), nullable=False),
    sa.Column('weekly_active', sa.Integer(), nullable=False),
    sa.Column('new_members', sa.Integer(), nullable=False),
    sa.Column('threads', sa.Integer(), nullable=False),
    sa.Column('replies', sa.Integer(), nullable=False),
    sa.Column('threads_answered', sa.Integer(), nullable=False),
    sa.Column('first_answer_minutes', sa.Float(), nullable=True),
    sa.Column('participations', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_health_day'))
    )
    op.create_table('health_member_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_health_member_day_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_member_day')),
    sa.UniqueConstraint('day', 'user_id', name=op.f('uq_health_member_day_day_user_id'))
    )
    with op.batch_alter_table('health_member_day', schema=None) as batch_op:
        batch_op.create_index('ix_health_member_day_user', ['user_id', 'day'], unique=False)

    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_try_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_mail_outbox_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_mail_outbox_dedupe_key'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_outbox_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_mail_outbox_due', ['status', 'next_try_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_user_id'), ['user_id'], unique=False)

    op.create_table('mail_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_mail_preference_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_preference')),
    sa.UniqueConstraint('user_id', 'category', name=op.f('uq_mail_preference_user_id_category'))
    )
    op.create_table('activity_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_kind', sa.String(length=12), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('segment_value_id', sa.Integer(), nullable=True),
    sa.Column('reach', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_activity_invitation_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['segment_value_id'], ['segment_value.id'], name=op.f('fk_activity_invitation_segment_value_id_segment_value'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_invitation'))
    )
    op.create_table('activity_invitee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['activity_invitation.id'], name=op.f('fk_activity_invitee_invitation_id_activity_invitation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_activity_invitee_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_invitee')),
    sa.UniqueConstraint('invitation_id', 'user_id', name=op.f('uq_activity_invitee_invitation_id_user_id'))
    )
    with op.batch_alter_table('activity_invitee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_invitee_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('activity_invitee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_invitee_user_id'))

    op.drop_table('activity_invitee')
    op.drop_table('activity_invitation')
    op.drop_table('mail_preference')
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_user_id'))
        batch_op.drop_index(batch_op.f('ix_mail_outbox_sent_at'))
        batch_op.drop_index('ix_mail_outbox_due')
        batch_op.drop_index(batch_op.f('ix_mail_outbox_created_at'))

    op.drop_table('mail_outbox')
    with op.batch_alter_table('health_member_day', schema=None) as batch_op:
        batch_op.drop_index('ix_health_member_day_user')

    op.drop_table('health_member_day')
    op.drop_table('health_day')
    op.drop_table('health_cohort')
