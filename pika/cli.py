"""`pika`: operator commands — DJ accounts, API tokens, migrations."""

from __future__ import annotations

import argparse
import sys

from pika.db import get_engine, migrate, session_scope
from pika.services import accounts
from pika.services.errors import ServiceError


def _create_dj(args) -> int:
    with session_scope() as db:
        dj = accounts.create_dj(db, email=args.email, display_name_=args.name, slug=args.slug)
        print(f"Created DJ #{dj.id} {dj.display_name} ({dj.slug}, {dj.email})")
        if args.token:
            token, raw = accounts.issue_token(db, dj, label=args.label)
            _print_token(token.id, raw)
    return 0


def _print_token(token_id: int, raw: str) -> None:
    print(f"API token #{token_id} (shown once — copy it now):")
    print(raw)


def _issue_token(args) -> int:
    with session_scope() as db:
        token, raw = accounts.issue_token(db, accounts.find_dj(db, args.dj), label=args.label)
        _print_token(token.id, raw)
    return 0


def _list_tokens(args) -> int:
    with session_scope() as db:
        rows = accounts.list_tokens(db, accounts.find_dj(db, args.dj))
        if not rows:
            print("No tokens.")
        for t in rows:
            state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
            used = f"last used {t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
            print(f"#{t.id}\t{t.label or '-'}\tcreated {t.created_at:%Y-%m-%d %H:%M}\t{used}\t{state}")
    return 0


def _revoke_token(args) -> int:
    with session_scope() as db:
        accounts.revoke_token(db, accounts.find_dj(db, args.dj), args.token_id)
        print(f"Token #{args.token_id} revoked.")
    return 0


def _db_upgrade(_args) -> int:
    migrate(get_engine())
    print("Database is at the newest revision.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pika", description="Pika! operator commands.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("create-dj", help="create a DJ account")
    p.add_argument("--email", required=True)
    p.add_argument("--name", required=True, help="display name")
    p.add_argument("--slug", required=True, help="public handle, 2-32 chars")
    p.add_argument("--token", action="store_true", help="also issue an API token")
    p.add_argument("--label", default="", help="label for the token")
    p.set_defaults(func=_create_dj)

    p = sub.add_parser("issue-token", help="issue an API token for a DJ (shown once)")
    p.add_argument("dj", help="e-mail or slug")
    p.add_argument("--label", default="")
    p.set_defaults(func=_issue_token)

    p = sub.add_parser("list-tokens", help="list a DJ's API tokens")
    p.add_argument("dj", help="e-mail or slug")
    p.set_defaults(func=_list_tokens)

    p = sub.add_parser("revoke-token", help="revoke one of a DJ's API tokens")
    p.add_argument("dj", help="e-mail or slug")
    p.add_argument("token_id", type=int)
    p.set_defaults(func=_revoke_token)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.set_defaults(func=_db_upgrade)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command != "migrate":
            migrate(get_engine())
        return args.func(args)
    except ServiceError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
