# The gates' fixtures: tracing's tests record entries as the gates do.
from zoneguard.gates.tests.conftest import declare, device_for, item  # noqa: F401
