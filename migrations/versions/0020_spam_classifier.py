"""spam defences: classifier versions, verdicts, near-duplicate fingerprints, members' trust levels

Revision ID: 0020_spam_classifier
Revises: 0017_former_display_names
Create Date: 2026-12-07 07:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_spam_classifier'
down_revision = '0021_mobile_fixes'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('user', sa.Column('trust_level', sa.Integer(), server_default='0', nullable=False))
    op.add_column('user', sa.Column('trust_level_locked', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'spam_model',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('community', sa.String(length=60), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seed_examples', sa.Integer(), nullable=False),
        sa.Column('decided_spam', sa.Integer(), nullable=False),
        sa.Column('decided_ham', sa.Integer(), nullable=False),
        sa.Column('arrays', sa.LargeBinary(), nullable=False),
        sa.Column('details', sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_spam_model')),
        sa.UniqueConstraint('community', 'version', name=op.f('uq_spam_model_community_version')),
    )
    op.create_table(
        'spam_verdict',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('score', sa.Double(), nullable=False),
        sa.Column('rules', sa.JSON(), nullable=False),
        sa.Column('classifier', sa.Double(), nullable=True),
        sa.Column('classifier_flagged', sa.Boolean(), nullable=False),
        sa.Column('model_version', sa.Integer(), nullable=True),
        sa.Column('behaviour', sa.JSON(), nullable=True),
        sa.Column('decision', sa.String(length=8), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_spam_verdict_author_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_spam_verdict_post_id_post'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_spam_verdict')),
        sa.UniqueConstraint('post_id', name=op.f('uq_spam_verdict_post_id')),
    )
    op.create_index(op.f('ix_spam_verdict_created_at'), 'spam_verdict', ['created_at'], unique=False)
    op.create_table(
        'post_fingerprint',
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('signature', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_post_fingerprint_author_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_post_fingerprint_post_id_post'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('post_id', name=op.f('pk_post_fingerprint')),
    )
    op.create_index(op.f('ix_post_fingerprint_created_at'), 'post_fingerprint', ['created_at'], unique=False)
    op.create_table(
        'fingerprint_band',
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('band', sa.SmallInteger(), nullable=False),
        sa.Column('key', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['post_fingerprint.post_id'],
                                name=op.f('fk_fingerprint_band_post_id_post_fingerprint'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('post_id', 'band', name=op.f('pk_fingerprint_band')),
    )
    op.create_index(op.f('ix_fingerprint_band_key'), 'fingerprint_band', ['key'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_fingerprint_band_key'), table_name='fingerprint_band')
    op.drop_table('fingerprint_band')
    op.drop_index(op.f('ix_post_fingerprint_created_at'), table_name='post_fingerprint')
    op.drop_table('post_fingerprint')
    op.drop_index(op.f('ix_spam_verdict_created_at'), table_name='spam_verdict')
    op.drop_table('spam_verdict')
    op.drop_table('spam_model')
    op.drop_column('user', 'trust_level_locked')  # SQLite 3.35+ drops a plain column in place
    op.drop_column('user', 'trust_level')
