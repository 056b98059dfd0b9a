"""The thank-you rain: hearts falling for a few seconds when dancers say thanks."""

from __future__ import annotations

import random
from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

GLYPHS = "♥♥♥✿❀★"
COLOURS = ("magenta", "red", "bright_magenta", "yellow", "bright_red")
FPS = 12
MAX_DROPS = 60  # a flood of thanks still draws one screenful


@dataclass
class Drop:
    x: int
    y: float
    speed: float
    glyph: str
    colour: str


class ThanksRain(Widget):
    DEFAULT_CSS = """
    ThanksRain { height: 4; }
    ThanksRain.-idle { display: none; }
    """

    frame = reactive(0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drops: list[Drop] = []
        self.thanks = 0
        self._timer: Timer | None = None
        self.add_class("-idle")

    def rain(self, count: int) -> None:
        """count new thank-yous: add drops and run the animation until they have fallen."""
        self.thanks += count
        width = max(4, self.size.width or 40)
        for _ in range(min(MAX_DROPS - len(self.drops), 4 + 3 * count)):
            self.drops.append(Drop(random.randrange(width), -random.uniform(0, 4), random.uniform(0.15, 0.45),
                                   random.choice(GLYPHS), random.choice(COLOURS)))
        self.remove_class("-idle")
        if self._timer is None:
            self._timer = self.set_interval(1 / FPS, self._tick)

    def _tick(self) -> None:
        height = max(1, self.size.height)
        for drop in self.drops:
            drop.y += drop.speed
        self.drops = [d for d in self.drops if d.y < height]
        if not self.drops and self._timer is not None:
            self._timer.stop()  # idle: no timer, no repaint
            self._timer = None
            self.thanks = 0
            self.add_class("-idle")
        self.frame += 1

    @property
    def raining(self) -> bool:
        return bool(self.drops)

    def render(self) -> Text:
        width, height = max(1, self.size.width), max(1, self.size.height)
        grid: list[list[tuple[str, str]]] = [[(" ", "")] * width for _ in range(height)]
        for drop in self.drops:
            y = int(drop.y)
            if 0 <= y < height and 0 <= drop.x < width:
                grid[y][drop.x] = (drop.glyph, drop.colour)
        label = f" thank you ×{self.thanks} "
        row = grid[height // 2]
        start = max(0, (width - len(label)) // 2)
        for i, char in enumerate(label[: width - start]):
            row[start + i] = (char, "bold reverse magenta")
        text = Text(no_wrap=True, overflow="crop")
        for y, line in enumerate(grid):
            for char, style in line:
                text.append(char, style=style)
            if y < height - 1:
                text.append("\n")
        return text
