"""Place each part of the discussion under a topic, by the words it shares with the topic."""

from __future__ import annotations

import math
import re
from collections import Counter

from ..i18n import _
from .parts import Para, Post, Question

SURE_MARGIN = 2.0  # the best topic must share twice the (weighted) words of the next one


def discussion_topics(post: Post) -> list[tuple[int, str]]:
    """For each discussion part, the index of its topic and, if the words leave doubt, why."""
    topics = [grams(topic.heading + "".join(p.text for q in topic.questions for p in asked_and_answered(q)))
              for topic in post.topics]
    share = Counter(g for t in topics for g in set(t))
    weight = {g: math.log((1 + len(topics)) / (1 + n)) for g, n in share.items()}
    placed, last = [], 0
    for part in post.discussion:
        same = [i for i, t in enumerate(post.topics) if t.heading == part.heading]
        words = grams(part.heading + "".join(p.text for p in part.paragraphs))
        scores = [sum(weight[g] * min(n, t[g]) for g, n in words.items() if g in t) for t in topics]
        best = same[0] if same else max(range(len(scores)), key=scores.__getitem__)
        runner_up = max((s for i, s in enumerate(scores) if i != best), default=None)
        doubt = ""
        if not same and runner_up is not None and scores[best] <= SURE_MARGIN * runner_up:
            doubt = _("its words do not tell one topic from the others")
        elif best < last:
            doubt = _("it stands after the discussion of a later topic")
        placed.append((best, doubt))
        last = max(last, best)
    return placed


def asked_and_answered(question: Question) -> tuple[Para, ...]:
    """A question's paragraphs and its answers'."""
    return (*question.preamble, *question.text, *(p for answer in question.answers for p in answer.paragraphs))


def grams(text: str) -> Counter:
    """The text's pairs of characters that carry meaning: not spaces, digits, kana particles or punctuation."""
    text = re.sub(r"[\s0-9]", "", text)
    return Counter(text[i:i + 2] for i in range(len(text) - 1)
                   if not re.fullmatch(r"[\u3040-\u309f、。「」()（）・]+", text[i:i + 2]))
