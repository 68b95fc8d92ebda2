"""The withdrawn members' words (``withdrawn_words``) are read from the community's text once for each state of the
community and shared: two requests of the code-excerpt page and the other research views read it once; any change
to what the table reads (a new or edited post, task answer or entry, a purge, a withdrawal, a consent given again)
reads it again, and the table then equals one built afresh. The table finds copies in any process (its runs are
hashed by word numbers, not by Python's per-process string hashes). Counted by ``withdrawn_words.reads``, which
every read of the community's text adds to."""
from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest

from app.db import utcnow
from app.research import withdrawn_words
from app.research.quotes import QuoteRules
from app.research.withdrawn_words import WithdrawnWords, load_withdrawn_words, shared_withdrawn_words

SENTENCE = "Glowberry serum changed my skin completely during this long dry winter."
OTHER = "I dab glowberry drops on my cheeks every single night before bed."


@pytest.fixture
def scene(db, researcher, moderator, category_factory, user_factory, consent_factory, competition_factory):
    """Marigold Vance wrote two sentences, a task answer and a competition entry, then withdrew; Rowan Pike copied
    one of her sentences (his post is coded), Sable Quinn wrote her own."""
    from app.competitions import services as competitions
    from app.core.settings import set_setting
    from app.forum import services as forum
    from app.research import coding
    from app.rights.consent import withdraw_consent
    from app.tasks import services as tasks

    set_setting("spam.hold_threshold", 100)
    consent = consent_factory()
    gone = user_factory(display_name="Marigold Vance")
    rowan, sable = user_factory(display_name="Rowan Pike"), user_factory(display_name="Sable Quinn")
    thread = forum.start_thread(category_factory(), author=gone, title="Glowberry diary", body=SENTENCE)
    forum.reply(thread, author=gone, body=OTHER)
    copy = forum.reply(thread, author=rowan, body=f"Someone said {SENTENCE} Shimmerbalm suits me better.")
    own = forum.reply(thread, author=sable, body="Shimmerbalm is what I use on my hands every evening.")
    code = coding.save_code(None, by=researcher, name="Balm", colour="#8a4b08", description="", parent_id=None)
    coding.apply_code(copy, code, by=researcher)
    now = utcnow()
    task = tasks.save_task(None, by=moderator, title="Your winter routine", instructions="Tell us.",
                           opens_at=now - timedelta(hours=1), due_at=now + timedelta(days=3), min_photos=0,
                           points=10, is_masked=True)
    tasks.submit(task, user=gone, text="My winter routine starts with a thick layer of glowberry balm.", files=[])
    competition = competition_factory(by=moderator)
    competitions.enter(competition, user=gone, title="Glowberry shelf",
                       body="The shelf where every glowberry jar I ever bought still stands in a row.")
    withdraw_consent(gone)
    db.session.commit()
    return SimpleNamespace(gone=gone, rowan=rowan, sable=sable, thread=thread, copy=copy, own=own, code=code,
                           task=task, competition=competition, consent=consent, moderator=moderator)


def _withdrawn() -> set[int]:
    from app.research.member_names import load_member_names

    return load_member_names().withdrawn


def _same(kept: WithdrawnWords, fresh: WithdrawnWords) -> bool:
    return (kept.keys, kept.all_keys, kept.shingles, kept.all_shingles, kept.vocabulary) == \
        (fresh.keys, fresh.all_keys, fresh.shingles, fresh.all_shingles, fresh.vocabulary)


def test_two_requests_of_the_code_excerpt_page_and_the_other_views_read_the_community_once(scene, researcher_client):
    from app.research.deidentify import Deidentifier
    from app.research.term_text import OwnWords

    before = withdrawn_words.reads
    for _ in range(2):
        page = researcher_client.get(f"/research/codes/{scene.code.id}")
        assert page.status_code == 200
        assert "Shimmerbalm suits me better" in page.text and "Glowberry serum" not in page.text
    Deidentifier(identity="pseudonym", drop_quotes=True, clean=str)  # emerging terms' examples (terms._add_examples)
    OwnWords()  # word counts and emerging terms
    assert withdrawn_words.reads - before == 1


def test_nobody_withdrawn_reads_nothing(db, user_factory, category_factory):
    from app.forum import services as forum

    forum.start_thread(category_factory(), author=user_factory(), title="Hello", body=SENTENCE)
    before = withdrawn_words.reads
    assert not shared_withdrawn_words(_withdrawn()).all_keys
    assert withdrawn_words.reads == before


def _edit_a_post(scene, db):
    from app.forum import services as forum

    forum.edit_post(scene.own, editor=scene.sable, body=f"{SENTENCE} Shimmerbalm too.")


def _new_post(scene, db):
    from app.forum import services as forum

    forum.reply(scene.thread, author=scene.sable, body=f"Somebody wrote {OTHER}")


def _new_withdrawal(scene, db):
    from app.rights.consent import withdraw_consent

    withdraw_consent(scene.rowan)


def _consent_again(scene, db):
    from app.rights.consent import give_consent_again

    give_consent_again(scene.gone, scene.consent.version)


def _task_answer(scene, db):
    from app.tasks import services as tasks

    tasks.submit(scene.task, user=scene.sable, text="My winter routine starts with a thick layer of glowberry balm.",
                 files=[])


def _task_answer_edited(scene, db):
    from app.tasks import services as tasks

    tasks.submit(scene.task, user=scene.gone, text="My winter routine starts with glowberry balm, then nothing.",
                 files=[])


def _entry(scene, db):
    from app.competitions import services as competitions

    competitions.enter(scene.competition, user=scene.sable, title="My shelf",
                       body="The shelf where every glowberry jar I ever bought still stands in a row.")


def _entry_retitled(scene, db):
    from app.competitions import services as competitions

    competitions.enter(scene.competition, user=scene.gone, title="Glowberry shelf, the whole collection",
                       body="The shelf where every glowberry jar I ever bought still stands in a row.")


def _purged(scene, db):
    from app.moderation.services import moderate_post, purge_spam

    moderate_post(scene.own, "spam", by=scene.moderator, reason="spam")
    scene.own.hidden_at = utcnow() - timedelta(days=400)
    db.session.flush()
    assert purge_spam(utcnow(), by=scene.moderator, retention_days=30) == 1


CHANGES = [_edit_a_post, _new_post, _new_withdrawal, _consent_again, _task_answer, _task_answer_edited, _entry,
           _entry_retitled, _purged]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__.strip("_") for change in CHANGES])
def test_a_change_to_what_the_table_reads_reads_the_community_again(scene, db, change):
    kept = shared_withdrawn_words(_withdrawn())
    assert shared_withdrawn_words(_withdrawn()) is kept
    change(scene, db)
    db.session.commit()
    before = withdrawn_words.reads
    withdrawn = _withdrawn()
    again = shared_withdrawn_words(withdrawn)
    assert withdrawn_words.reads - before == (1 if withdrawn else 0)
    assert again is not kept
    assert _same(again, load_withdrawn_words(withdrawn, strip=QuoteRules().strip))


def test_hiding_and_restoring_a_post_keeps_the_table_which_reads_hidden_posts_too(scene, db):
    from app.moderation.services import moderate_post

    kept = shared_withdrawn_words(_withdrawn())
    before = withdrawn_words.reads
    for action in ("hide", "restore"):
        moderate_post(scene.copy, action, by=scene.moderator, reason="checking")
        db.session.commit()
        assert shared_withdrawn_words(_withdrawn()) is kept
        assert _same(kept, load_withdrawn_words(_withdrawn(), strip=QuoteRules().strip))
    assert withdrawn_words.reads - before == 2  # the two fresh builds above, nothing else


def test_only_the_newest_state_is_kept(scene, db):
    from app.forum import services as forum

    first = shared_withdrawn_words(_withdrawn())
    for number in range(2):
        forum.reply(scene.thread, author=scene.sable, body=f"Reply {number}")
        db.session.commit()
        newest = shared_withdrawn_words(_withdrawn())
    assert list(withdrawn_words._TABLES.values()) == [newest] and newest is not first


_READ_IN_ANOTHER_PROCESS = """
import pickle, sys
words = pickle.loads(sys.stdin.buffer.read())
sys.stdout.write(words.remove(sys.argv[1]) + "\\n" + repr(words.holds(sys.argv[2])))
"""


@pytest.mark.parametrize("seed", ["1", "4242"])
def test_a_table_sent_to_another_process_finds_the_same_copies(seed):
    """A worker process hashes strings with another seed: the table's runs must not depend on it."""
    words = WithdrawnWords()
    words.learn(f"{SENTENCE} {OTHER}", at=1)
    words.freeze()
    copied = "Thanks! As somebody put it, glowberry drops on my cheeks every single night before bed, yes. Bye."
    quote = "dab glowberry drops on my cheeks every single night before"
    here = (words.remove(copied), words.holds(quote))
    assert here == ("Thanks! Bye.", True)
    env = {"PYTHONHASHSEED": seed, "PATH": ""}
    done = subprocess.run([sys.executable, "-c", _READ_IN_ANOTHER_PROCESS, copied, quote], env=env,
                          input=pickle.dumps(words), capture_output=True, check=True, cwd=_root())
    assert done.stdout.decode().split("\n") == [here[0], repr(here[1])]


def _root() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parents[2])


def test_a_frozen_table_takes_no_more_texts():
    words = WithdrawnWords([SENTENCE]).freeze()
    with pytest.raises(RuntimeError):
        words.learn(OTHER)
    with pytest.raises(RuntimeError):
        words.learn_others(OTHER, author=2)
