"""Toasts sent from event handlers without `eval`, so they work under the Content-Security-Policy.

`yield rx.toast.error(...)` from a handler reaches the browser as a `_call_script` event, which
Reflex's client runs with `eval` — blocked by a CSP without 'unsafe-eval' (pika/web_security.py).
Here a handler yields `notice.error(text, id=...)` instead: an ordinary event that sets
NoticeState.notice, and the app overlay's hook (compiled into the bundle, no eval) shows the toast.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventSpec
from reflex_base.vars import VarData
from reflex_base.vars.base import Var
from reflex_components_sonner.toast import toast_ref

KINDS = ("error", "success", "info", "warning")


class NoticeState(rx.State):
    # `n` changes with every notice, so the same sentence twice still shows twice.
    notice: dict[str, str | int] = {"n": 0, "kind": "", "text": "", "id": ""}

    @rx.event
    def show(self, kind: str, text: str, toast_id: str):
        kind = kind if kind in KINDS else "info"
        self.notice = {"n": int(self.notice["n"]) + 1, "kind": kind, "text": text[:300], "id": toast_id[:40]}


def error(text: str, id: str = "") -> EventSpec:  # `id` as in rx.toast, so a call site only changes its module
    return NoticeState.show("error", text, id)


def success(text: str, id: str = "") -> EventSpec:
    return NoticeState.show("success", text, id)


class NoticeToaster(rx.Fragment):
    """Renders nothing; its hook calls the Sonner toaster when NoticeState.notice changes."""

    def add_hooks(self) -> list[str | Var]:
        notice = NoticeState.notice
        effect = (
            f"useEffect(() => {{ const notice = {notice!s}; "
            f"if (notice.n > 0) {{ {toast_ref!s}?.[notice.kind]?.(notice.text, {{id: notice.id || undefined}}); }} "
            f"}}, [{notice!s}.n]);"
        )
        return [Var(_js_expr=effect, _var_data=VarData.merge(
            notice._get_all_var_data(), toast_ref._get_all_var_data(), VarData(imports={"react": ["useEffect"]})))]


def notice_toaster() -> rx.Component:
    return NoticeToaster.create()
