"""The statistical spam classifier: scikit-learn's logistic regression over words, character n-grams and behaviour.

Text features are jieba words and character n-grams of the judged text (app.text.normalise.judging_text), weighted
by TF-IDF; behaviour features are the account's age and trust level, links, a first link, the posting rate, copies
from other accounts and contact details. A trained model is a vocabulary, IDF weights and coefficients: it is kept
as JSON plus an ``.npz`` of plain arrays (loaded with ``allow_pickle=False``), never as a pickle, and rebuilt into
scikit-learn objects to score. ``explain`` names what pushed a post towards spam ("words 加v, 领取; new account").

NumPy, SciPy and scikit-learn are imported when a model is first trained or used, not with the app: they take
about 80 MiB and seconds to import, which a process that never judges a post (an export's row workers, a web
worker that only serves pages) does not pay.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

from app.text.segment import jieba_ready

if TYPE_CHECKING:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

# Behaviour features, each scaled to about 0..1 (the order is part of the stored model).
BEHAVIOUR = ("new_account", "young_account", "trust_new", "links", "first_link", "posting_rate", "duplicates",
             "contact_id")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9'$-]*[a-z0-9]|[a-z]")
_NUMBER = re.compile(r"\d+")
_DROP = re.compile(r"^[\W_]+$")


@dataclass(frozen=True)
class Behaviour:
    """What is known about a post beyond its words, at the time it was judged."""

    age_days: float = 365.0
    trust_level: int = 2
    links: int = 0
    first_link: bool = False
    recent_posts: int = 0       # the author's posts in the last hour before this one
    duplicates: int = 0         # other accounts that posted nearly the same text in the window
    contact_id: bool = False

    def vector(self) -> list[float]:
        return [1.0 if self.age_days < 3 else 0.0, 1.0 if self.age_days < 30 else 0.0,
                1.0 if self.trust_level <= 0 else 0.0, min(self.links, 3) / 3, 1.0 if self.first_link else 0.0,
                min(self.recent_posts, 6) / 6, min(self.duplicates, 2) / 2, 1.0 if self.contact_id else 0.0]

    def as_dict(self) -> dict:
        return {"age_days": round(self.age_days, 2), "trust_level": self.trust_level, "links": self.links,
                "first_link": self.first_link, "recent_posts": self.recent_posts, "duplicates": self.duplicates,
                "contact_id": self.contact_id}

    @classmethod
    def from_dict(cls, data: dict | None) -> Behaviour:
        return cls(**{k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__})


def _number_shape(match: re.Match) -> str:
    """Numbers by length, so "2847561930" and "3958271046" are the same feature (a QQ-like number)."""
    return f" num{min(len(match.group()), 9)} "


@cache
def _english_stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS


def tokens(judged: str) -> list[str]:
    """Features of judged text: jieba words (w:), Chinese character 2- and 3-grams (c:), Latin 4-grams (l:) and pairs
    of neighbouring Latin words that are not stop words (b:, "dm me" reads "dm" then "link in bio" "link bio")."""
    stop_words = _english_stop_words()
    text = _NUMBER.sub(_number_shape, judged)
    found = [f"w:{word}" for word in jieba_ready().lcut(text)
             if word.strip() and not _DROP.match(word) and word not in stop_words]
    for run in _CJK_RUN.findall(text):
        found += [f"c:{run[i:i + n]}" for n in (2, 3) for i in range(len(run) - n + 1)]
    latin = _LATIN_WORD.findall(text)
    for word in latin:
        if len(word) > 5:
            found += [f"l:{word[i:i + 4]}" for i in range(len(word) - 3)]
    words = [word for word in latin if word not in stop_words]
    found += [f"b:{first} {second}" for first, second in pairwise(words)]
    return found


def _vectorizer(**kwargs) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=tokens, sublinear_tf=True, norm="l2", **kwargs)


@dataclass
class Trained:
    """A model as plain data: vocabulary, IDF, coefficients, intercept; what it was trained on."""

    vocabulary: list[str]
    idf: np.ndarray
    coef: np.ndarray          # text features then BEHAVIOUR
    intercept: float
    counts: dict = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        import numpy as np

        buffer = io.BytesIO()
        np.savez_compressed(buffer, vocabulary=np.array(self.vocabulary, dtype=str), idf=self.idf.astype(np.float64),
                            coef=self.coef.astype(np.float64), intercept=np.array([self.intercept]))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, counts: dict | None = None) -> Trained:
        import numpy as np

        arrays = np.load(io.BytesIO(data), allow_pickle=False)
        return cls(vocabulary=[str(v) for v in arrays["vocabulary"]], idf=arrays["idf"], coef=arrays["coef"],
                   intercept=float(arrays["intercept"][0]), counts=counts or {})


def train(texts: list[str], behaviours: list[Behaviour], labels: list[int], *, weights: list[float] | None = None,
          C: float = 30.0) -> Trained:
    """Fit on judged texts with their behaviour and labels (1 = spam); both classes must be present."""
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        raise ValueError("training needs examples of both spam and ham")
    vectorizer = _vectorizer(min_df=1)
    text_matrix = vectorizer.fit_transform(texts)
    matrix = sparse.hstack([text_matrix, sparse.csr_matrix([b.vector() for b in behaviours])]).tocsr()
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, solver="liblinear")
    model.fit(matrix, np.array(labels), sample_weight=np.array(weights) if weights else None)
    vocabulary = [None] * len(vectorizer.vocabulary_)
    for term, index in vectorizer.vocabulary_.items():
        vocabulary[index] = term
    return Trained(vocabulary=vocabulary, idf=vectorizer.idf_, coef=model.coef_[0], intercept=float(model.intercept_[0]),
                   counts={"spam": int(sum(labels)), "ham": len(labels) - int(sum(labels))})


class Scorer:
    """A stored model rebuilt into scikit-learn objects, ready to score and explain posts."""

    def __init__(self, trained: Trained, version: int | None = None) -> None:
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        self.trained, self.version = trained, version
        self.vectorizer = _vectorizer(vocabulary={term: i for i, term in enumerate(trained.vocabulary)})
        self.vectorizer.idf_ = trained.idf
        self.model = LogisticRegression()
        self.model.classes_ = np.array([0, 1])
        self.model.coef_ = trained.coef.reshape(1, -1)
        self.model.intercept_ = np.array([trained.intercept])

    def _row(self, judged: str, behaviour: Behaviour):
        from scipy import sparse

        return sparse.hstack([self.vectorizer.transform([judged]), sparse.csr_matrix([behaviour.vector()])]).tocsr()

    def probability(self, judged: str, behaviour: Behaviour) -> float:
        return float(self.model.predict_proba(self._row(judged, behaviour))[0, 1])

    def explain(self, judged: str, behaviour: Behaviour, *, top: int = 3) -> Explanation:
        """The probability with the words and behaviour that pushed it up the most."""
        row = self._row(judged, behaviour)
        probability = float(self.model.predict_proba(row)[0, 1])
        contributions = row.multiply(self.model.coef_).tocsr()
        n_text = len(self.trained.vocabulary)
        words, signs = [], []
        for index, value in sorted(zip(contributions.indices, contributions.data), key=lambda pair: -pair[1]):
            if value <= 0.05:
                break
            if index >= n_text:
                signs.append(BEHAVIOUR[index - n_text])
            elif len(words) < top:
                term = self.trained.vocabulary[index].split(":", 1)[1]
                if not any(term in w or w in term for w in words):
                    words.append(term)
        return Explanation(probability, words, [s for s in BEHAVIOUR if s in signs], behaviour)


def evidence(judged: str) -> float:
    """How much text there is to judge, 0..1: full at about 8 words (two Chinese characters count as one)."""
    words = len(_LATIN_WORD.findall(judged)) + sum(len(run) for run in _CJK_RUN.findall(judged)) / 2
    return min(1.0, words / 8)


@dataclass(frozen=True)
class Explanation:
    probability: float
    words: list[str]
    signs: list[str]       # BEHAVIOUR names that pushed towards spam
    behaviour: Behaviour

    def reason(self, version: int | None) -> str:
        """A review-item reason: ``classifier:0.97:v3|加v,领取|new_account,links=2`` (rendered per language)."""
        signs = [f"links={self.behaviour.links}" if s == "links" else s for s in self.signs]
        return f"classifier:{self.probability:.2f}:v{version or 0}|{','.join(self.words)}|{','.join(signs)}"

