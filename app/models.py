"""Imports every domain's models so the metadata (and Alembic) sees all tables."""
from app.audit.models import AuditEvent  # noqa: F401
from app.auth.models import ConsentDocument, ConsentEvent, Invitation  # noqa: F401
from app.auth.two_factor_models import RecoveryCode, TwoFactor  # noqa: F401
from app.competitions.models import Competition, CompetitionEntry, CompetitionScore, CompetitionVote  # noqa: F401
from app.core.settings import Checkpoint, Setting  # noqa: F401
from app.forum.models import Category, Post, PostRevision, Reaction, Thread, ThreadRead  # noqa: F401
from app.jobs.models import JobLease, JobRun  # noqa: F401
from app.landing.models import Announcement, LandingSnapshot  # noqa: F401
from app.mailing.models import ActivityInvitation, InvitedMember, MailPreference, OutboxMessage  # noqa: F401
from app.members.models import FormerName, User  # noqa: F401
from app.members.notifications import Notification  # noqa: F401
from app.moderation.models import CannedReply, Flag, ReviewItem  # noqa: F401
from app.moderation.spam_models import FingerprintBand, PostFingerprint, SpamModel, SpamVerdict  # noqa: F401
from app.points.models import BadgeAward, PointEvent  # noqa: F401
from app.polls.models import Ballot, BallotChoice, Poll, PollOption  # noqa: F401
from app.pulse.models import CohortMonth, DailyHealth, MemberDay  # noqa: F401
from app.research.models import Code, CodedExcerpt, ExportRun  # noqa: F401
from app.rights.models import DataExportRequest, ErasureRequest  # noqa: F401
from app.segments.models import MemberSegment, SegmentAttribute, SegmentValue  # noqa: F401
from app.tasks.models import Task, TaskSubmission  # noqa: F401
from app.uploads.models import Upload  # noqa: F401
