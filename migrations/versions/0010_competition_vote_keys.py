"""competition votes: composite foreign keys tie a vote's competition and entry author to the entry itself

Revision ID: 0010_competition_vote_keys
Revises: 0004_activities
Create Date: 2026-11-23 12:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_competition_vote_keys'
down_revision = '0004_activities'
branch_labels = None
depends_on = None


def upgrade():
    # Unique indexes (not constraints) on the parent: SQLite adds them without rebuilding competition_entry.
    with op.batch_alter_table('competition_entry', schema=None) as batch_op:
        batch_op.create_index('ix_competition_entry_id_competition', ['id', 'competition_id'], unique=True)
        batch_op.create_index('ix_competition_entry_id_author', ['id', 'user_id'], unique=True)

    with op.batch_alter_table('competition_vote', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_competition_vote_entry_competition', 'competition_entry',
                                    ['entry_id', 'competition_id'], ['id', 'competition_id'], ondelete='CASCADE')
        batch_op.create_foreign_key('fk_competition_vote_entry_author', 'competition_entry',
                                    ['entry_id', 'entry_author_id'], ['id', 'user_id'], ondelete='CASCADE',
                                    onupdate='CASCADE')


def downgrade():
    with op.batch_alter_table('competition_vote', schema=None) as batch_op:
        batch_op.drop_constraint('fk_competition_vote_entry_author', type_='foreignkey')
        batch_op.drop_constraint('fk_competition_vote_entry_competition', type_='foreignkey')

    with op.batch_alter_table('competition_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_competition_entry_id_author')
        batch_op.drop_index('ix_competition_entry_id_competition')
