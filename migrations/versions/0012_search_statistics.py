"""search on PostgreSQL: finer word statistics, so the planner sees that a rare word has few matches

With the default statistics target, a word outside the sampled common words was estimated at hundreds of matches,
and a newest-first search for it walked the whole index backwards (57 ms at 300,000 posts, for no hits) instead
of reading its few matches from the GIN index (2 ms). SQLite keeps no such statistics: nothing to do there.

Revision ID: 0012_search_statistics
Revises: 0011_thread_list_indexes
Create Date: 2026-12-02 12:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_search_statistics'
down_revision = '0011_thread_list_indexes'
branch_labels = None
depends_on = None

WORD_STATISTICS = 1000  # sampled rows and common words tracked: 10 times PostgreSQL's default


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE search_index ALTER COLUMN document SET STATISTICS {WORD_STATISTICS}")
        op.execute("ANALYZE search_index")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_index ALTER COLUMN document SET STATISTICS -1")
