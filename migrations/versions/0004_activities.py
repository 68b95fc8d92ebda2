"""activities: competitions, the points ledger and badges, segment attributes, user.points; a check on polls

Revision ID: 0004_activities
Revises: 0009_polls
Create Date: 2026-11-23 05:34:43.936415

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_activities'
down_revision = '0009_polls'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('segment_attribute',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('member_editable', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segment_attribute')),
    sa.UniqueConstraint('key', name=op.f('uq_segment_attribute_key'))
    )
    op.create_table('badge_award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('badge', sa.String(length=30), nullable=False),
    sa.Column('awarded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_badge_award_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_award')),
    sa.UniqueConstraint('user_id', 'badge', name=op.f('uq_badge_award_user_id_badge'))
    )
    with op.batch_alter_table('badge_award', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_badge_award_user_id'), ['user_id'], unique=False)

    op.create_table('point_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('ref_type', sa.String(length=30), nullable=True),
    sa.Column('ref_id', sa.Integer(), nullable=True),
    sa.Column('key', sa.String(length=120), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_point_event_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_point_event_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_point_event')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_point_event_user_id_key'))
    )
    with op.batch_alter_table('point_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_point_event_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_point_event_ref', ['ref_type', 'ref_id'], unique=False)
        batch_op.create_index('ix_point_event_user_created', ['user_id', 'created_at'], unique=False)

    op.create_table('segment_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attribute_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['attribute_id'], ['segment_attribute.id'], name=op.f('fk_segment_value_attribute_id_segment_attribute'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segment_value')),
    sa.UniqueConstraint('attribute_id', 'value', name=op.f('uq_segment_value_attribute_id_value'))
    )
    op.create_table('competition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('rules_html', sa.Text(), nullable=False),
    sa.Column('prize', sa.String(length=500), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('entry_opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('entry_closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('voting_opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('voting_closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('judging', sa.String(length=12), nullable=False),
    sa.Column('entry_points', sa.Integer(), nullable=False),
    sa.Column('win_points', sa.Integer(), nullable=False),
    sa.Column('winner_count', sa.Integer(), nullable=False),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('draw_seed', sa.BigInteger(), nullable=True),
    sa.CheckConstraint('entry_opens_at < entry_closes_at AND entry_closes_at <= voting_opens_at AND voting_opens_at < voting_closes_at', name=op.f('ck_competition_windows_in_order')),
    sa.CheckConstraint('winner_count >= 1', name=op.f('ck_competition_at_least_one_winner')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_competition_category_id_category')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_competition_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_competition_published_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['thread.id'], name=op.f('fk_competition_thread_id_thread'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition'))
    )
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_thread_id'), ['thread_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_voting_closes_at'), ['voting_closes_at'], unique=False)

    op.create_table('member_segment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attribute_id', sa.Integer(), nullable=False),
    sa.Column('value_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['attribute_id'], ['segment_attribute.id'], name=op.f('fk_member_segment_attribute_id_segment_attribute'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_member_segment_updated_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_member_segment_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['value_id'], ['segment_value.id'], name=op.f('fk_member_segment_value_id_segment_value'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_segment')),
    sa.UniqueConstraint('user_id', 'attribute_id', name=op.f('uq_member_segment_user_id_attribute_id'))
    )
    with op.batch_alter_table('member_segment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_segment_attribute_id'), ['attribute_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_segment_value_id'), ['value_id'], unique=False)

    op.create_table('competition_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('is_winner', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hide_reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_competition_entry_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user.id'], name=op.f('fk_competition_entry_hidden_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_competition_entry_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_entry')),
    sa.UniqueConstraint('competition_id', 'user_id', name=op.f('uq_competition_entry_competition_id_user_id'))
    )
    with op.batch_alter_table('competition_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_entry_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_entry_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_entry_user_id'), ['user_id'], unique=False)

    op.create_table('competition_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 10', name=op.f('ck_competition_score_score_range')),
    sa.ForeignKeyConstraint(['entry_id'], ['competition_entry.id'], name=op.f('fk_competition_score_entry_id_competition_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['judge_id'], ['user.id'], name=op.f('fk_competition_score_judge_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_score')),
    sa.UniqueConstraint('entry_id', 'judge_id', name=op.f('uq_competition_score_entry_id_judge_id'))
    )
    with op.batch_alter_table('competition_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_score_judge_id'), ['judge_id'], unique=False)

    op.create_table('competition_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('entry_author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('entry_author_id IS NULL OR entry_author_id <> user_id', name=op.f('ck_competition_vote_not_own_entry')),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_competition_vote_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['competition_entry.id'], name=op.f('fk_competition_vote_entry_id_competition_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_competition_vote_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_vote')),
    sa.UniqueConstraint('competition_id', 'user_id', name=op.f('uq_competition_vote_competition_id_user_id'))
    )
    with op.batch_alter_table('competition_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_vote_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_vote_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('points', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_poll_max_choices_positive'), 'max_choices >= 1')


def downgrade():
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_poll_max_choices_positive'), type_='check')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('points')

    with op.batch_alter_table('competition_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_vote_user_id'))
        batch_op.drop_index(batch_op.f('ix_competition_vote_entry_id'))

    op.drop_table('competition_vote')
    with op.batch_alter_table('competition_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_score_judge_id'))

    op.drop_table('competition_score')
    with op.batch_alter_table('competition_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_entry_user_id'))
        batch_op.drop_index(batch_op.f('ix_competition_entry_state'))
        batch_op.drop_index(batch_op.f('ix_competition_entry_competition_id'))

    op.drop_table('competition_entry')
    with op.batch_alter_table('member_segment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_segment_value_id'))
        batch_op.drop_index(batch_op.f('ix_member_segment_attribute_id'))

    op.drop_table('member_segment')
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_voting_closes_at'))
        batch_op.drop_index(batch_op.f('ix_competition_thread_id'))

    op.drop_table('competition')
    op.drop_table('segment_value')
    with op.batch_alter_table('point_event', schema=None) as batch_op:
        batch_op.drop_index('ix_point_event_user_created')
        batch_op.drop_index('ix_point_event_ref')
        batch_op.drop_index(batch_op.f('ix_point_event_created_at'))

    op.drop_table('point_event')
    with op.batch_alter_table('badge_award', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_badge_award_user_id'))

    op.drop_table('badge_award')
    op.drop_table('segment_attribute')
