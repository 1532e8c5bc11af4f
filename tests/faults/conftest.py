"""The fault-injection suite's marker (registered here so the suite owns it)."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "faults: injects faults into real service processes and shared servers"
    )
