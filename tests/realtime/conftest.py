import pytest

from pika.pages.session_state import DancerRoomState
from tests.realtime.test_hub import App
from tests.support.hub import hub_bound_to


@pytest.fixture
def bound_hub(store):
    """The app's hub bound to a stand-in socket server that records rooms and emits."""
    with hub_bound_to(App(), DancerRoomState, store) as bound:
        yield bound
