"""members' rights: the consent ledger, requests to download one's data and to erase one's account

Every member who has agreed to a consent text gets a "given" event at the time and version recorded on their
account, so the ledger starts complete; a member whose consent is already withdrawn also gets that event.

Revision ID: 0016_member_rights
Revises: 0015_trust_boundaries
Create Date: 2026-12-07 06:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_member_rights'
down_revision = '0015_trust_boundaries'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consent_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('consent_version', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_consent_event_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_event'))
    )
    with op.batch_alter_table('consent_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_event_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_consent_event_user_created', ['user_id', 'created_at'], unique=False)
    op.create_table('data_export_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ready_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('file_name', sa.String(length=80), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_data_export_request_user_id_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_export_request'))
    )
    with op.batch_alter_table('data_export_request', schema=None) as batch_op:
        batch_op.create_index('ix_data_export_request_status', ['status', 'requested_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_export_request_user_id'), ['user_id'], unique=False)
    op.create_table('erasure_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('posts_policy', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['user.id'], name=op.f('fk_erasure_request_cancelled_by_id_user'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_erasure_request_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_request'))
    )
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.create_index('ix_erasure_request_status_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_erasure_request_user_id'), ['user_id'], unique=False)
    _backfill_consent_events()


def _backfill_consent_events():
    """A "given" event for every member with a recorded consent, and "withdrawn" for those who withdrew."""
    user = sa.table('user', sa.column('id'), sa.column('consent_version'), sa.column('consent_at'),
                    sa.column('consent_withdrawn_at'))
    event = sa.table('consent_event', sa.column('user_id'), sa.column('kind'), sa.column('consent_version'),
                     sa.column('created_at'))
    consented = sa.select(user.c.id, sa.literal('given'), user.c.consent_version, user.c.consent_at) \
        .where(user.c.consent_at.is_not(None))
    withdrawn = sa.select(user.c.id, sa.literal('withdrawn'), user.c.consent_version, user.c.consent_withdrawn_at) \
        .where(user.c.consent_withdrawn_at.is_not(None))
    columns = ['user_id', 'kind', 'consent_version', 'created_at']
    op.execute(event.insert().from_select(columns, consented))
    op.execute(event.insert().from_select(columns, withdrawn))


def downgrade():
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_request_user_id'))
        batch_op.drop_index('ix_erasure_request_status_due')
    op.drop_table('erasure_request')
    with op.batch_alter_table('data_export_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_export_request_user_id'))
        batch_op.drop_index('ix_data_export_request_status')
    op.drop_table('data_export_request')
    with op.batch_alter_table('consent_event', schema=None) as batch_op:
        batch_op.drop_index('ix_consent_event_user_created')
        batch_op.drop_index(batch_op.f('ix_consent_event_created_at'))
    op.drop_table('consent_event')
