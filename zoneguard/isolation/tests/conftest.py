# The gates' fixtures: isolation's tests check what a gate answers a person in isolation.
from zoneguard.gates.tests.conftest import declare, device_for, item  # noqa: F401
