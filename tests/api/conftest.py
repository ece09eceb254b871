import pytest

from tests.api.gate_support import make_setup


@pytest.fixture
def setup(db, isv, app):
    """A token of an active merchant's authorization of ``app`` (see ``gate_support``)."""
    return make_setup(isv=isv, app=app)
