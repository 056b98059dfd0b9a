"""The browser side of DJ accounts: cookies, CSRF, and the `/auth` form posts (FastAPI)."""
