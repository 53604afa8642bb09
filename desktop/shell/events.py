"""The signal bus: the one place widgets hear what the core and the workers did.

Workers never touch widgets; they emit through objects living on the GUI thread, so every signal here
is delivered (queued) on the GUI thread.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class EventBus(QObject):
    """GUI-facing events.

    Signals:
        poll_started(int): a poll round began over this many sources.
        poll_progress(int, int): sources done, sources in the round.
        poll_finished(object): the round ended; a list of PollResult.
        source_polled(object): one source's PollResult.
        source_state_changed(int, str): a source's id and its new state.
        mention_added(int): a new mention was stored (id).
        mentions_added(object): the new mentions one poll stored (a tuple of ids), after their mention_added.
        alert_raised(int, int): alert id, mention id.
        alerts_raised(object): mentions (ids) that raised alerts outside a poll (typed in, imported).
        alerts_changed(): alerts may have been seen or raised (read, linked, opened): the tray recounts.
        records_changed(): clients or projects were added, edited or deleted.
        settings_changed(): the user saved settings.
    """

    poll_started = Signal(int)
    poll_progress = Signal(int, int)
    poll_finished = Signal(object)
    source_polled = Signal(object)
    source_state_changed = Signal(int, str)
    mention_added = Signal(int)
    mentions_added = Signal(object)
    alert_raised = Signal(int, int)
    alerts_raised = Signal(object)
    alerts_changed = Signal()
    records_changed = Signal()
    settings_changed = Signal()
