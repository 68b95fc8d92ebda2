"""full-text search index (FTS5 on SQLite, tsvector + GIN on PostgreSQL)

Revision ID: 0008_search
Revises: 0007_landing
Create Date: 2026-11-23 05:10:00

"""
from alembic import op

revision = '0008_search'
down_revision = '0007_landing'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        # rowid is the post id; content holds jieba-segmented words separated by spaces.
        op.execute("CREATE VIRTUAL TABLE search_index USING fts5(content, tokenize='unicode61 remove_diacritics 2')")
    else:
        op.execute("CREATE TABLE search_index (post_id BIGINT PRIMARY KEY "
                   "REFERENCES post(id) ON DELETE CASCADE, document TSVECTOR NOT NULL)")
        op.execute("CREATE INDEX ix_search_index_document ON search_index USING GIN (document)")
    # Existing posts are indexed by `flask search reindex` (a data step, not a schema step).


def downgrade():
    op.execute("DROP TABLE IF EXISTS search_index")
