"""The dancer's controls: hearts, tempo vote, poll, announcement banner, thank-you button."""

from __future__ import annotations

import reflex as rx

from pika.pages.session_state import DancerRoomState as S

# Icons, not emoji: they render the same on every phone (and in headless test browsers).
TEMPO_CHOICES = (("slower", "Slower", "turtle"), ("perfect", "Perfect", "thumbs-up"), ("faster", "Faster", "zap"))


def like_count(play_id, likes: rx.Var) -> rx.Var:
    return rx.cond(likes.contains(play_id), likes[play_id], 0)


def heart(play_id, *, likes: rx.Var = S.likes_now, size: str = "3", show_count: bool = True, **props) -> rx.Component:
    """`likes`: the room's counts for the block of the history that shows this play (now playing by default)."""
    liked = S.liked.contains(play_id)
    saving = S.saving.contains("like:" + play_id.to(str))
    return rx.button(
        rx.icon("heart", fill=rx.cond(liked, "currentColor", "none"), size=18),
        rx.cond(show_count, rx.text(like_count(play_id, likes), as_="span", size="2"), rx.fragment()),
        on_click=S.toggle_like(play_id),
        variant=rx.cond(liked, "solid", "soft"),
        color_scheme="ruby",
        size=size,
        radius="full",
        aria_label=rx.cond(liked, "Unlike", "Like"),
        class_name=rx.cond(liked, "heart liked", "heart"),
        # Dimmed until the server has stored the tap (see DancerRoomState.saving).
        opacity=rx.cond(saving, "0.6", "1"),
        data_saving=rx.cond(saving, "true", "false"),
        **props,
    )


def tempo_bar() -> rx.Component:
    current = S.now_playing["play_id"]
    mine = rx.cond(S.my_tempo["play_id"] == current, S.my_tempo["choice"], "")
    fresh = S.tempo["play_id"] == current

    def button(choice: str, label: str, icon: str) -> rx.Component:
        return rx.button(
            rx.vstack(
                rx.hstack(rx.icon(icon, size=16), rx.text(label, size="2", weight="bold"), spacing="1", align="center"),
                rx.text(rx.cond(fresh, S.tempo[f"{choice}_pct"], 0), "%", size="1"),
                spacing="0",
                align="center",
            ),
            on_click=S.tap_tempo(current, choice),
            variant=rx.cond(mine == choice, "solid", "surface"),
            size="3",
            flex="1",
            height="3.6rem",
            id=f"tempo-{choice}",
            class_name=rx.cond(mine == choice, "tempo chosen", "tempo"),
        )

    return rx.vstack(
        rx.text("HOW'S THE TEMPO?", size="1", weight="bold", color="var(--gray-10)", letter_spacing="0.12em"),
        rx.hstack(*(button(*choice) for choice in TEMPO_CHOICES), width="100%", spacing="2"),
        width="100%",
        spacing="1",
        id="tempo",
    )


def _poll_option(option, index) -> rx.Component:
    voted = (S.my_vote["poll_id"] == S.poll["id"]) & (S.my_vote["option"] >= 0)
    mine = voted & (S.my_vote["option"] == index)
    show_results = voted | ~S.poll["open"].to(bool)
    is_winner = S.poll["winners"].to(list[int]).contains(index)
    return rx.button(
        rx.hstack(
            rx.text(option, weight=rx.cond(mine | is_winner, "bold", "regular")),
            rx.spacer(),
            rx.cond(show_results, rx.text(S.poll["percents"].to(list[int])[index], "%", size="2")),
            width="100%",
        ),
        on_click=S.vote(S.poll["id"].to(int), index),
        disabled=voted | ~S.poll["open"].to(bool),
        variant=rx.cond(mine | is_winner, "solid", "surface"),
        width="100%",
        size="3",
        class_name="poll-option",
        background=rx.cond(
            show_results & ~mine & ~is_winner,
            "linear-gradient(90deg, var(--amber-a5) " + S.poll["percents"].to(list[int])[index].to_string() + "%, transparent 0)",
            None,
        ),
    )


def poll_card() -> rx.Component:
    return rx.cond(
        S.poll["id"].to(int) > 0,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text("POLL", size="1", weight="bold", color="var(--amber-11)", letter_spacing="0.12em"),
                    rx.spacer(),
                    rx.cond(
                        S.poll["open"].to(bool),
                        rx.cond(S.poll["closes_at"] != "",
                                rx.text("closes ", rx.moment(S.poll["closes_at"].to(str), from_now=True, interval=1000),
                                        size="1", color="var(--gray-10)", id="poll-countdown")),
                        rx.text("closed", size="1", color="var(--gray-10)"),
                    ),
                    width="100%",
                ),
                rx.heading(S.poll["question"].to(str), size="4", id="poll-question"),
                rx.foreach(S.poll["options"].to(list[str]), _poll_option),
                rx.cond(
                    ~S.poll["open"].to(bool),
                    rx.text(
                        rx.match(
                            S.poll["winners"].to(list[int]).length(),
                            (0, "No votes — no winner."),
                            (1, "Winner: " + S.poll["options"].to(list[str])[S.poll["winners"].to(list[int])[0]]),
                            "It's a tie!",
                        ),
                        weight="bold",
                        id="poll-result",
                    ),
                ),
                rx.text(S.poll["total"].to(int), rx.cond(S.poll["total"].to(int) == 1, " vote", " votes"), size="1", color="var(--gray-10)", id="poll-total"),
                spacing="2",
                width="100%",
            ),
            width="100%",
            id="poll",
        ),
    )


def announcement_banner() -> rx.Component:
    return rx.cond(
        S.announcement["message"] != "",
        rx.callout(S.announcement["message"].to(str), icon="megaphone", color_scheme="amber", size="2", width="100%",
                   id="announcement"),
    )


def thanks_button() -> rx.Component:
    return rx.button(rx.icon("heart-handshake"), "Thank the DJ", on_click=S.thank_dj, size="4", variant="soft",
                     width="100%", id="thanks")
