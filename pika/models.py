"""Database tables. Every timestamp is timezone-aware UTC (see db_types.UTCDateTime)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from pika.db_types import UTCDateTime, utcnow


class DJ(SQLModel, table=True):
    __tablename__ = "dj"
    # One account per identity at one OIDC provider; both NULL for password-only accounts.
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_dj_oidc_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)  # stored lower-cased: addresses are case-insensitive
    password_hash: str | None = Field(default=None, max_length=255)
    display_name: str = Field(max_length=80)
    slug: str = Field(max_length=32, unique=True)
    bio: str = Field(default="", max_length=1000)
    avatar_path: str | None = Field(default=None, max_length=255)
    is_organizer: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    oidc_issuer: str | None = Field(default=None, max_length=255)
    oidc_subject: str | None = Field(default=None, max_length=255)


class WebSession(SQLModel, table=True):
    """A DJ signed in to the web dashboard. The cookie holds a random token; only its SHA-256 is here."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    dj_id: int = Field(foreign_key="dj.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    user_agent: str = Field(default="", max_length=255)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    dj_id: int = Field(foreign_key="dj.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)  # SHA-256 hex; the raw token is never stored
    label: str = Field(default="", max_length=80)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SessionStatus(StrEnum):
    LIVE = "live"
    RECONNECTING = "reconnecting"
    ENDED = "ended"


class LiveSession(SQLModel, table=True):
    """One live set. Its public id is what dancers see in the join link and QR code."""

    __tablename__ = "session"

    id: str = Field(primary_key=True, max_length=16)
    dj_id: int = Field(foreign_key="dj.id", index=True)
    title: str = Field(default="", max_length=120)
    pin_hash: str | None = Field(default=None, max_length=255)
    status: str = Field(default=SessionStatus.LIVE, max_length=16, index=True)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_heartbeat_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    last_activity_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    # The play shown as "now playing" (newest by played_at); not a foreign key to avoid a cycle.
    current_play_id: str | None = Field(default=None, max_length=36)
    # Bumped by every change dancers can see; orders the room's canonical copies (newest wins).
    room_version: int = Field(default=0)


class Track(SQLModel, table=True):
    __tablename__ = "track"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=700, unique=True)  # pika.domain.tracks.track_key
    artist: str = Field(max_length=200)
    title: str = Field(max_length=300)
    version: str | None = Field(default=None, max_length=200)
    # Last known metadata; each play keeps what was sent with it.
    bpm: float | None = None
    musical_key: str | None = Field(default=None, max_length=12)
    energy: int | None = None
    duration_s: float | None = None


class Play(SQLModel, table=True):
    """One track played in one session. The agent generates the id: it is the idempotency key."""

    __tablename__ = "play"
    __table_args__ = (Index("ix_play_session_played_at", "session_id", "played_at"),)

    id: str = Field(primary_key=True, max_length=36)
    session_id: str = Field(foreign_key="session.id", max_length=16)
    track_id: int = Field(foreign_key="track.id", index=True)
    played_at: datetime = Field(sa_type=UTCDateTime, nullable=False)  # agent's clock: real start
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    source: str = Field(default="", max_length=32)
    bpm: float | None = None
    musical_key: str | None = Field(default=None, max_length=12)
    energy: int | None = None
    duration_s: float | None = None


class SessionEventKind(StrEnum):
    OPENED = "opened"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    RECONNECTED = "reconnected"
    ENDED = "ended"


class SessionEvent(SQLModel, table=True):
    """Telemetry of a session's agent connection, readable by the DJ and operators."""

    __tablename__ = "session_event"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="session.id", index=True, max_length=16)
    kind: str = Field(max_length=24)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    detail: str = Field(default="", max_length=2000)


class Like(SQLModel, table=True):
    """A dancer's heart on one play. Unliking deletes it."""

    __tablename__ = "play_like"
    __table_args__ = (UniqueConstraint("dancer_id", "play_id", name="uq_like_dancer_play"),)

    id: int | None = Field(default=None, primary_key=True)
    play_id: str = Field(foreign_key="play.id", index=True, max_length=36)
    session_id: str = Field(foreign_key="session.id", index=True, max_length=16)
    dancer_id: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class TempoVote(SQLModel, table=True):
    """slower | perfect | faster, one per dancer and play; clearing deletes it."""

    __tablename__ = "tempo_vote"
    __table_args__ = (UniqueConstraint("dancer_id", "play_id", name="uq_tempo_dancer_play"),)

    id: int | None = Field(default=None, primary_key=True)
    play_id: str = Field(foreign_key="play.id", index=True, max_length=36)
    session_id: str = Field(foreign_key="session.id", index=True, max_length=16)
    dancer_id: str = Field(max_length=64)
    choice: str = Field(max_length=8)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Poll(SQLModel, table=True):
    __tablename__ = "poll"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="session.id", index=True, max_length=16)
    question: str = Field(max_length=200)
    options_json: str = Field(max_length=2000)  # JSON list of 2–10 strings
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    closes_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    play_id: str | None = Field(default=None, max_length=36)  # the play current when it opened


class PollVote(SQLModel, table=True):
    __tablename__ = "poll_vote"
    __table_args__ = (UniqueConstraint("dancer_id", "poll_id", name="uq_poll_vote_dancer"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    dancer_id: str = Field(max_length=64)
    option: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Announcement(SQLModel, table=True):
    __tablename__ = "announcement"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="session.id", index=True, max_length=16)
    message: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Reaction(SQLModel, table=True):
    """A dancer's "thank you" to the DJ, counted in the recap."""

    __tablename__ = "reaction"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="session.id", index=True, max_length=16)
    dancer_id: str = Field(max_length=64)
    kind: str = Field(default="thanks", max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class SessionMember(SQLModel, table=True):
    """A dancer who entered a PIN-protected session's PIN (so they enter it once)."""

    __tablename__ = "session_member"
    __table_args__ = (UniqueConstraint("session_id", "dancer_id", name="uq_member_session_dancer"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="session.id", index=True, max_length=16)
    dancer_id: str = Field(max_length=64)
    joined_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
