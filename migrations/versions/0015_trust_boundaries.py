"""display names compared by their look-alike keys; audit events keep the client's address

Two look-alike key columns on user (TR39 skeletons through upper and lower case, see app.text.names) let a new
display name be refused when it looks like another member's; existing members get theirs computed here. Audit events gain the
address of the client that acted (as the configured proxies report it).

Revision ID: 0015_trust_boundaries
Revises: 0014_two_factor
Create Date: 2026-12-07 05:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.text.names import name_keys

# revision identifiers, used by Alembic.
revision = '0015_trust_boundaries'
down_revision = '0014_two_factor'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_name_skeleton', sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column('display_name_skeleton_folded', sa.String(length=160), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_display_name_skeleton'), ['display_name_skeleton'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_display_name_skeleton_folded'), ['display_name_skeleton_folded'],
                              unique=False)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ip_address', sa.String(length=45), nullable=True))
    user = sa.table('user', sa.column('id'), sa.column('display_name'), sa.column('display_name_skeleton'),
                    sa.column('display_name_skeleton_folded'))
    connection = op.get_bind()
    rows = connection.execute(sa.select(user.c.id, user.c.display_name)).all()
    update = user.update().where(user.c.id == sa.bindparam('row_id')).values(
        display_name_skeleton=sa.bindparam('as_written'), display_name_skeleton_folded=sa.bindparam('folded'))
    for start in range(0, len(rows), 5000):  # executemany in batches: a large community migrates in seconds
        batch = [dict(zip(('as_written', 'folded'), name_keys(row.display_name), strict=True), row_id=row.id)
                 for row in rows[start:start + 5000]]
        connection.execute(update, batch)


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('ip_address')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_display_name_skeleton_folded'))
        batch_op.drop_index(batch_op.f('ix_user_display_name_skeleton'))
        batch_op.drop_column('display_name_skeleton_folded')
        batch_op.drop_column('display_name_skeleton')
