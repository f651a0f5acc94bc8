"""The demo of public participation: consultations, questions and answers, concerns."""

from __future__ import annotations

from . import demo_concerns, demo_consultations, demo_questions


def load() -> list[str]:
    lines = []
    for part in (demo_consultations, demo_questions, demo_concerns):
        lines += part.load()
    return lines
