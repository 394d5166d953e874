"""Who gets the next free worker: short jobs before jobs known to run long.

First come, first served let four tabs running long programs hold every worker while another
student's three-line program waited behind them (1.4 s became 19.6 s). Here a job is *long*
when a job of the same session, or of the same program, used more than :data:`LONG_CPU_SECONDS`
of CPU the last time it ran. Two rules follow:

* every waiting job that is not known to be long goes before every long one (first come, first
  served within each level);
* long jobs together hold at most ``size - 1`` workers: one worker is always kept for the others.

So a short program waits at most for one short job ahead of it, not for a long one; the long
programs still run, one after the other, each within its own time and CPU limits. A program
nobody ran before is not known to be long: a crowd of new long programs is slowed only after
their first runs (what the load test's hostile tabs do again and again).

:class:`FairQueue` holds no lock: the pool calls it under its own.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from itertools import count

__all__ = ["LONG_CPU_SECONDS", "FairQueue", "Ticket"]

#: CPU seconds after which a job counts as long (a tutorial's program: 10-100 ms).
LONG_CPU_SECONDS = 1.0
#: Sessions and programs remembered as long (least recently marked forgotten first).
REMEMBERED = 4096


@dataclass(frozen=True, order=True)
class Ticket:
    """A waiting job's place: level 0 (short or unknown) before level 1 (long), then by arrival."""

    level: int
    number: int
    marks: tuple[Hashable, ...] = field(default=(), compare=False)


class FairQueue:
    """The waiting jobs of a pool of ``size`` workers, and which jobs ran long."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._waiting: list[Ticket] = []
        self._numbers = count()
        self._long: OrderedDict[Hashable, None] = OrderedDict()
        self.long_running = 0  # workers running a job of level 1

    def join(self, marks: Iterable[Hashable] = ()) -> Ticket:
        """A new ticket for a job known by ``marks`` (its session, its program)."""
        marks = tuple(marks)
        level = int(any(mark in self._long for mark in marks))
        ticket = Ticket(level, next(self._numbers), marks)
        self._waiting.append(ticket)
        self._waiting.sort()
        return ticket

    def leave(self, ticket: Ticket) -> bool:
        """Take ``ticket`` out of the line (served, given up); False if it was not in it."""
        if ticket in self._waiting:
            self._waiting.remove(ticket)
            return True
        return False

    def may_take(self, ticket: Ticket, idle: int) -> bool:
        """Whether ``ticket`` takes one of ``idle`` workers now: first in line, within its share."""
        if not idle or not self._waiting or self._waiting[0] != ticket:
            return False
        return ticket.level == 0 or self.long_running < max(1, self.size - 1)

    def place(self, ticket: Ticket) -> int:
        """1 for the next in line."""
        return self._waiting.index(ticket) + 1

    def __len__(self) -> int:
        return len(self._waiting)

    def __bool__(self) -> bool:
        return bool(self._waiting)

    def ran(self, ticket: Ticket, cpu_seconds: float | None) -> None:
        """Remember whether ``ticket``'s job ran long (unknown CPU: as it was)."""
        if cpu_seconds is None:
            return
        for mark in ticket.marks:
            if cpu_seconds > LONG_CPU_SECONDS:
                self._long[mark] = None
                self._long.move_to_end(mark)
            else:
                self._long.pop(mark, None)
        while len(self._long) > REMEMBERED:
            self._long.popitem(last=False)
