"""Rules for polls, tasks, competitions, points and segments as pure predicates (views and templates ask these)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from app.db import ContentState, utcnow
from app.security.roles import Permission, role_has


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _can(user: Any, permission: Permission) -> bool:
    return _signed_in(user) and user.can(permission)


def earns_points(user: Any) -> bool:
    """Points, levels, badges and the leaderboard are for members; hosts and researchers stay outside."""
    return user is not None and role_has(user.role, Permission.POST) and not role_has(user.role, Permission.MODERATE)


def can_create_activity(user: Any) -> bool:
    return _can(user, Permission.CREATE_ACTIVITY)


def can_publish_activity(user: Any) -> bool:
    return _can(user, Permission.PUBLISH_ACTIVITY)


def can_start_poll_thread(user: Any) -> bool:
    """A poll in a new thread needs someone who may post the thread: hosts (researchers attach drafts)."""
    return can_create_activity(user) and user.can(Permission.POST)


# --- polls ----------------------------------------------------------------------------------------------

def can_view_poll(user: Any, poll: Any) -> bool:
    return _can(user, Permission.READ) and (poll.is_published or can_create_activity(user))


def can_vote(user: Any, poll: Any, now: datetime | None = None) -> bool:
    """Participants vote (and change their ballot) while a published poll is open; researchers observe."""
    return _can(user, Permission.POST) and poll.is_published and not poll.has_ended(now or utcnow())


def can_see_poll_results(user: Any, poll: Any, *, has_voted: bool, now: datetime | None = None) -> bool:
    """Hosts and researchers always; members as the poll's visibility says."""
    if _can(user, Permission.MODERATE) or _can(user, Permission.RESEARCH):
        return True
    ended = poll.has_ended(now or utcnow())
    if poll.results_visibility == "always":
        return True
    if poll.results_visibility == "after_vote":
        return has_voted or ended
    return ended


def can_see_segments(user: Any) -> bool:
    """Segment attributes of other members (poll breakdowns, exports): researchers and admins."""
    return _can(user, Permission.RESEARCH)


# --- competitions ---------------------------------------------------------------------------------------

def can_view_competition(user: Any, competition: Any) -> bool:
    return _can(user, Permission.READ) and (competition.is_published or can_create_activity(user))


def can_edit_competition(user: Any, competition: Any) -> bool:
    """Hosts until it closes; a researcher only their own unpublished draft."""
    if competition.closed_at is not None or not can_create_activity(user):
        return False
    return can_publish_activity(user) or (not competition.is_published and competition.created_by_id == user.id)


def can_enter(user: Any, competition: Any, now: datetime | None = None) -> bool:
    return _can(user, Permission.POST) and competition.phase(now or utcnow()) == "entry"


def can_vote_in(user: Any, competition: Any, now: datetime | None = None) -> bool:
    return (_can(user, Permission.POST) and competition.judging == "members"
            and competition.phase(now or utcnow()) == "voting")


def can_vote_for(user: Any, entry: Any, now: datetime | None = None) -> bool:
    """A member votes for a published entry of an open vote, never their own."""
    return (can_vote_in(user, entry.competition, now) and entry.state == ContentState.PUBLISHED.value
            and entry.user_id != user.id)


def can_judge(user: Any, competition: Any, now: datetime | None = None) -> bool:
    return (can_publish_activity(user) and competition.judging == "moderators"
            and competition.phase(now or utcnow()) == "voting")


def can_see_entries(user: Any, competition: Any, now: datetime | None = None) -> bool:
    """Everyone once voting opens; before that only hosts and researchers (members see their own)."""
    if _can(user, Permission.MODERATE) or _can(user, Permission.RESEARCH):
        return True
    return competition.phase(now or utcnow()) in ("voting", "counting", "closed")


def can_see_entry(user: Any, entry: Any, now: datetime | None = None) -> bool:
    """One entry (and its photo), as the entry list shows it: hidden ones to hosts only; others' once entries show."""
    if not _can(user, Permission.READ):
        return False
    if entry.state != ContentState.PUBLISHED.value and not can_publish_activity(user):
        return False
    return entry.user_id == user.id or can_see_entries(user, entry.competition, now)


def can_see_live_counts(user: Any, competition: Any) -> bool:
    """Vote counts show after the close; hosts and researchers watch them live."""
    return competition.closed_at is not None or _can(user, Permission.MODERATE) or _can(user, Permission.RESEARCH)


# --- tasks ---------------------------------------------------------------------------------------------

def can_view_task(user: Any, task: Any) -> bool:
    """Published tasks for everyone signed in; drafts for those who create activities."""
    return _can(user, Permission.READ) and (task.is_published or can_create_activity(user))


def can_edit_task(user: Any, task: Any) -> bool:
    """Hosts any task; a researcher only their own unpublished draft."""
    if not can_create_activity(user):
        return False
    return can_publish_activity(user) or (not task.is_published and task.created_by_id == user.id)


def can_answer_task(user: Any, task: Any, now: datetime | None = None) -> bool:
    """Participants answer (and edit their answer) while a published task is open; researchers observe."""
    return _can(user, Permission.POST) and task.is_open(now or utcnow())


def can_review_submission(user: Any, submission: Any) -> bool:
    return can_publish_activity(user)


def can_see_all_submissions(user: Any) -> bool:
    """Hosts and researchers read every answer, photos included, whatever the masking."""
    return _can(user, Permission.MODERATE) or _can(user, Permission.RESEARCH)


def can_see_submission(user: Any, submission: Any, *, has_answered: bool) -> bool:
    """Own answers always; others' once the member has answered a masked task (at once if it is not masked)."""
    if not _can(user, Permission.READ):
        return False
    if submission.user_id == user.id or can_see_all_submissions(user):
        return True
    task = submission.task
    return task.is_published and (not task.is_masked or has_answered)


# --- points, VIP, leaderboard ---------------------------------------------------------------------------

def can_adjust_points(user: Any, member: Any) -> bool:
    """Hosts grant or take back points (and VIP) for members, never for themselves."""
    return _can(user, Permission.MODERATE) and earns_points(member) and member.id != user.id


def can_see_points_history(user: Any, member: Any) -> bool:
    return _signed_in(user) and (user.id == member.id or _can(user, Permission.MODERATE))


def can_see_leaderboard(user: Any, mode: str) -> bool:
    return _can(user, Permission.READ) and (mode != "off" or _can(user, Permission.MANAGE_COMMUNITY))


def can_see_full_leaderboard(user: Any, mode: str) -> bool:
    """With "own rank only", members see just their own line; hosts still see the board."""
    return mode == "on" or _can(user, Permission.MODERATE)
