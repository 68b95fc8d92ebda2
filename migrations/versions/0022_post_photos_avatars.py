"""photos stored once by content hash; members' uploaded avatars

Uploads get the hash of their re-encoded bytes (the file on disk is named by it, so a picture sent twice is
stored once with its thumbnails); members get the name of their uploaded avatar (none: a generated one).

Revision ID: 0022_post_photos_avatars
Revises: 0017_former_display_names
Create Date: 2026-12-07 07:05:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_post_photos_avatars'
down_revision = '0019_queue_truth'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_upload_content_hash'), ['content_hash'], unique=False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('avatar_name', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('avatar_name')
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upload_content_hash'))
        batch_op.drop_column('content_hash')
