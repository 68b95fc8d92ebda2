"""former display names, kept only so that research exports can replace them

A member who renames, or whose account is erased, leaves their old name in other members' words ("@Kim",
"as Harriet said"). Exports replace every known name by a pseudonym; this table is how they still know the old
ones. Names are never shown anywhere.

Revision ID: 0017_former_display_names
Revises: 0016_member_rights
Create Date: 2026-12-07 06:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_former_display_names'
down_revision = '0016_member_rights'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'former_display_name',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('until', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_former_display_name_user_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_former_display_name')),
        sa.UniqueConstraint('user_id', 'name', name=op.f('uq_former_display_name_user_id_name')),
    )
    with op.batch_alter_table('former_display_name', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_former_display_name_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('former_display_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_former_display_name_user_id'))
    op.drop_table('former_display_name')
