"""Plain-Python rules of the dance floor: no Reflex, HTTP, database or Textual imports."""
