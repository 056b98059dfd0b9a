"""Screens: sign-in → source pick → live (with its dialogs) → set ended."""
