"""Database operations. Each function takes the SQLModel session as its first argument."""
