import pytest

from pika.pages.session_state import DancerRoomState
from pika.realtime.hub import hub
from tests.realtime.test_hub import App


@pytest.fixture
def bound_hub(store):
    """The app's hub bound to a stand-in socket server that records rooms and emits."""
    previous = (hub.app, hub.state_name, hub.store, hub.relay)
    hub.bind(App(), DancerRoomState, store)
    yield hub
    hub.app, hub.state_name, hub.store, hub.relay = previous
