"""A real `flask jobs run-once send_mail` process killed mid-batch: a restarted sender sends only what was not
sent, every dedupe key arrives, and at most the one message in flight arrives twice (with the same Message-ID)."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from app.mailing import outbox
from app.mailing.models import OutboxStatus
from tests.jobs.helpers import wait_for
from tests.mail.helpers import outbox_rows

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 12
CLAIM_SECONDS = 2


def _sender(app, database_url: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "TEAHOUSE_DATABASE_URL": database_url, "TEAHOUSE_SECRET_KEY": "test",
           "TEAHOUSE_PUBLIC_URL": "https://community.teahouse.test", "TEAHOUSE_MAIL_SERVER": "127.0.0.1",
           "TEAHOUSE_MAIL_PORT": str(app.config["MAIL_PORT"]), "TEAHOUSE_MAIL_CLAIM_SECONDS": str(CLAIM_SECONDS)}
    env.pop("TEAHOUSE_TEST_DATABASE_URL", None)
    with log.open("w") as out:
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run-once", "send_mail"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def test_a_killed_sender_is_restarted_without_losing_or_duplicating_mail(app, db, database_url, user_factory,
                                                                          smtp_server, tmp_path):
    for i in range(MESSAGES):
        outbox.queue(user_factory(role="member"), "reply", f"killed:{i}",
                     {"template": "notice", "category": "replies", "text": f"news {i}", "url": f"/t/{i}"})
    db.session.commit()

    async def slow(server, session, envelope):
        import email

        await asyncio.sleep(0.4)  # a slow server: the batch is still going when the sender is killed
        smtp_server.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    smtp_server.handle_DATA = slow
    first = _sender(app, database_url, tmp_path / "first.log")
    try:
        assert wait_for(lambda: len(smtp_server.messages) >= 3, timeout=60), (tmp_path / "first.log").read_text()
        os.kill(first.pid, signal.SIGKILL)  # mid-batch, no chance to clean up
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
    before = len(smtp_server.messages)
    rows = outbox_rows()
    sent_before = sum(r.status == OutboxStatus.SENT for r in rows)
    # The last message the server took may not have been marked sent when the kill came: that is the one message
    # that may go out twice. Everything the first sender marked sent stays sent.
    assert before - 1 <= sent_before <= before < MESSAGES
    db.session.rollback()

    time.sleep(CLAIM_SECONDS + 0.5)  # the dead sender's claims run out
    second = _sender(app, database_url, tmp_path / "second.log")
    assert second.wait(timeout=120) == 0, (tmp_path / "second.log").read_text()
    rows = outbox_rows()
    assert len(rows) == MESSAGES and all(r.status == OutboxStatus.SENT for r in rows)
    received = Counter(m["Message-ID"] for m in smtp_server.messages)
    assert len(received) == MESSAGES  # every dedupe key arrived
    assert sum(received.values()) - MESSAGES <= 1  # only the message in flight at the kill may come twice
    assert len(smtp_server.messages) - before == MESSAGES - sent_before  # the rest, each once
