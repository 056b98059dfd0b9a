"""The announcement the dancers see as a banner right now (tracked by the agent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.widgets import Static


@dataclass(frozen=True)
class Announcement:
    id: int
    message: str
    expires_at: datetime | None  # None: until cancelled

    @classmethod
    def parse(cls, body: dict) -> Announcement:
        expires = None
        if body.get("expires_at"):
            try:
                expires = datetime.fromisoformat(str(body["expires_at"]))
            except ValueError:
                expires = None
        return cls(int(body["id"]), str(body.get("message", "")), expires)

    def active(self, now: datetime) -> bool:
        return self.expires_at is None or now < self.expires_at


class AnnouncementPanel(Static):
    DEFAULT_CSS = """
    AnnouncementPanel { height: auto; border: round $warning; border-title-color: $warning; padding: 0 1; }
    AnnouncementPanel.-empty { display: none; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.current: Announcement | None = None
        self.add_class("-empty")

    def on_mount(self) -> None:
        self.border_title = "Announcement on the dancers' screens"

    def show(self, item: Announcement | None) -> None:
        self.current = item
        self.set_class(item is None, "-empty")
        if item is not None:
            text = Text("📣 " + item.message, style="bold")
            until = f"until {item.expires_at.astimezone():%H:%M}" if item.expires_at else "until you cancel it"
            text.append(f"\n{until} · x to take it down", style="dim")
            self.update(text)
