"""One module per page, its state beside it."""
