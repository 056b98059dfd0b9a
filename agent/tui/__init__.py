"""The DJ's terminal UI (Textual). All server and DJ-software work lives in agent.core."""
