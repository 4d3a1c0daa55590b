"""What a home page is made of. Each app that has something for a user's day offers it in a
module `home.py` with a function `home_items(user) -> list[HomeItem]`; the dashboard collects
them for the signed-in user, so new modules fill the home pages without the dashboard changing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Tone:
    """How much an item asks for attention."""

    PLAIN = ""
    OK = "ok"
    WARN = "warn"  # to do today
    BAD = "bad"  # overdue or alarming


@dataclass(frozen=True)
class HomeItem:
    label: Any  # what it is about, translated
    url: str  # where to act on it or read more
    value: str = ""  # the figure, shown large ("87.5%", "3", "12 / 16")
    detail: Any = ""  # a line under it
    tone: str = Tone.PLAIN
    action: bool = False  # an action to take (a button) rather than a figure to read
    order: int = 100

    @property
    def needs_attention(self) -> bool:
        return self.tone in {Tone.WARN, Tone.BAD}
