"""Tokenising Chinese and English text: jieba for Chinese (with a consumer vocabulary), words for English."""
from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

from flask import current_app, has_app_context

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_TOKEN = re.compile(r"[\u3400-\u9fff]+|[0-9a-z][0-9a-z'_-]*", re.IGNORECASE)
USERDICT = Path(__file__).resolve().parent.parent / "research" / "userdict.txt"
_lock = threading.Lock()
_ready = False


def jieba_ready():
    """jieba, initialised once per process with its cache in the instance folder (not $TMPDIR)."""
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                if has_app_context():
                    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
                    jieba.dt.tmp_dir = current_app.instance_path
                jieba.initialize()
                # Consumer and beauty vocabulary the default dictionary splits (玻尿酸, 敏感肌, 平替 ...).
                with USERDICT.open("rb") as userdict:  # jieba leaves a path's file open
                    jieba.load_userdict(userdict)
                _ready = True
    return jieba


def search_tokens(text: str) -> list[str]:
    """Tokens for the search index and for queries: jieba's search mode for Chinese, lower-cased words."""
    tokens: list[str] = []
    for chunk in _TOKEN.findall(text.lower()):
        if _CJK_RUN.fullmatch(chunk):
            tokens.extend(t for t in jieba_ready().cut_for_search(chunk) if t.strip())
        else:
            tokens.append(chunk.strip("'_-") or chunk)
    return tokens


def search_document(text: str) -> str:
    """The space-separated form both full-text engines index."""
    return " ".join(search_tokens(text))
