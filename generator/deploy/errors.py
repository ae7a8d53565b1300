"""The one exception a publish raises: a catalogue problem, and whether it was a usage error."""

from __future__ import annotations

from generator.problems import Problem


class PublishFailed(Exception):
    """The publish did not happen (or did not finish): `problem` says why in Chinese. `usage`
    marks a mistake in the command or its settings (exit 2) rather than a failure (exit 1)."""

    def __init__(self, problem: Problem, usage: bool = False):
        super().__init__(problem.message)
        self.problem = problem
        self.usage = usage
