"""The terminal stays quiet unless something needs the user; the log file keeps the rest."""
from __future__ import annotations

import logging

import pytest

from desktop.shell import logs


@pytest.fixture
def terminal(capsys):
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield capsys
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    logs._terminal = None


def test_library_retries_and_info_stay_off_the_terminal_but_reach_the_log_file(terminal) -> None:
    logs.setup_terminal_logging(verbose=False)
    path = logs.setup_file_logging()
    logging.getLogger("urllib3.connectionpool").warning("Retrying (Retry(total=1)) after connection broken")
    logging.getLogger("desktop.polling.scheduler").info("poll round started")
    logging.getLogger("desktop.store").warning("the store is read-only: nothing will be saved")
    err = terminal.readouterr().err
    assert "Retrying" not in err and "poll round started" not in err
    assert "read-only" in err
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = path.read_text(encoding="utf-8")
    assert "Retrying" in logged and "poll round started" in logged


def test_a_window_leaves_the_terminal_errors_only_and_verbose_shows_all(terminal) -> None:
    logs.setup_terminal_logging(verbose=False)
    logs.quiet_terminal_for_gui()
    logging.getLogger("desktop.ui").warning("a warning the window already shows")
    logging.getLogger("desktop.ui").error("could not start")
    err = terminal.readouterr().err
    assert "already shows" not in err and "could not start" in err
    logs.setup_terminal_logging(verbose=True)
    logs.quiet_terminal_for_gui()
    logging.getLogger("urllib3.connectionpool").info("Starting new HTTPS connection")
    assert "Starting new HTTPS connection" in terminal.readouterr().err
