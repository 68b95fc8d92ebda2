"""the community's term dictionary and researchers' stop-word edits

Terms discovered from the community's own text (or added, merged, blocked by researchers) feed the tokenizer of
the word analyses; stop-word edits change the built-in lists.

Revision ID: 0023_term_dictionary
Revises: 0017_former_display_names
Create Date: 2026-12-07 07:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_term_dictionary'
down_revision = '0022_post_photos_avatars'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'research_term',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('display', sa.String(length=80), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('merged_into_id', sa.Integer(), nullable=True),
        sa.Column('score', sa.Double(), nullable=False),
        sa.Column('posts', sa.Integer(), nullable=False),
        sa.Column('authors', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['merged_into_id'], ['research_term.id'],
                                name=op.f('fk_research_term_merged_into_id_research_term'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_research_term_updated_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_research_term')),
        sa.UniqueConstraint('key', name=op.f('uq_research_term_key')),
    )
    with op.batch_alter_table('research_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_research_term_status'), ['status'], unique=False)
    op.create_table(
        'research_stop_word',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('word', sa.String(length=40), nullable=False),
        sa.Column('is_stop', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_research_stop_word_updated_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_research_stop_word')),
        sa.UniqueConstraint('word', name=op.f('uq_research_stop_word_word')),
    )


def downgrade():
    op.drop_table('research_stop_word')
    with op.batch_alter_table('research_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_research_term_status'))
    op.drop_table('research_term')
