"""Cross-validation of the spam classifier on the seed corpus alone (app/moderation/data/seed_*.txt).

    python -m tests.perf.spam_cv [--folds 5]

Prints, for stratified k-fold splits, the training time and the precision and recall of the held decision: the
classifier's points (as app.moderation.spam.add_classifier gives them) plus the text rules' (score_text: links,
contact details, lures) at or above the hold threshold, with each line's account age (younger than a week: a new
member), and of the classifier alone. The dev and hidden corpora are never read.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.model_selection import StratifiedKFold

from app.moderation.classifier import Behaviour, Scorer, train
from app.moderation.learning import seed_rows
from app.moderation.spam import DEFAULT_ALLOWED_DOMAINS, DEFAULTS, NEW_MEMBER_DAYS, classifier_points, score_text


def cross_validate(folds: int = 5, seed: int = 0) -> dict:
    rows = seed_rows()
    texts = [text for _, text, _ in rows]
    young = [age < NEW_MEMBER_DAYS for age, _, _ in rows]
    labels = np.array([label for _, _, label in rows])
    threshold = float(DEFAULTS["spam.hold_threshold"])
    probabilities, seconds = np.zeros(len(texts)), []
    for train_index, test_index in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, labels):
        started = time.perf_counter()
        trained = train([texts[i] for i in train_index], [Behaviour()] * len(train_index),
                        [int(labels[i]) for i in train_index])
        seconds.append(time.perf_counter() - started)
        scorer = Scorer(trained)
        for i in test_index:
            probabilities[i] = scorer.probability(texts[i], Behaviour())
    alone = np.array([classifier_points(p, t, young=y) for p, t, y in zip(probabilities, texts, young, strict=True)])
    rules = np.array([score_text(t, is_new_member=y, blocked_words=[], allowed=DEFAULT_ALLOWED_DOMAINS).value
                      for t, y in zip(texts, young, strict=True)])
    held, held_alone = alone + rules >= threshold, alone >= threshold
    spam, ham = labels == 1, labels == 0
    return {"examples": len(texts), "spam": int(spam.sum()), "ham": int(ham.sum()),
            "recall": float(held[spam].mean()), "ham_held": float(held[ham].mean()),
            "precision": float((held & spam).sum() / max(held.sum(), 1)),
            "recall_alone": float(held_alone[spam].mean()), "ham_held_alone": float(held_alone[ham].mean()),
            "train_seconds": float(np.mean(seconds)), "probabilities": probabilities, "labels": labels}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    result = cross_validate(args.folds)
    print(f"seed corpus: {result['examples']} examples ({result['spam']} spam, {result['ham']} ham), "
          f"{args.folds}-fold CV")
    print(f"held (classifier + text rules): recall {result['recall']:.1%}, precision {result['precision']:.1%}, "
          f"ham held {result['ham_held']:.1%}; training {result['train_seconds']:.2f} s a fold")
    print(f"held (classifier alone): recall {result['recall_alone']:.1%}, ham held {result['ham_held_alone']:.1%}")
    print(f"ham held: {round(result['ham_held'] * result['ham'])} of {result['ham']}")
    probabilities, labels = result["probabilities"], result["labels"]
    for cut in (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
        print(f"  p>={cut:.2f}: spam {np.mean(probabilities[labels == 1] >= cut):.1%}, "
              f"ham {np.mean(probabilities[labels == 0] >= cut):.1%}")


if __name__ == "__main__":
    main()
