"""The custom action Rasa 3.6 runs at every customer message before it chooses the answer
(`action_validate_slot_mappings`: the acknowledgement of the customer's feeling,
actions/feeling.py) is optional: the turn goes on without it.

Rasa goes on when the action server cannot be reached there, but not when it does not
answer: its wait is five minutes (rasa.core.constants.DEFAULT_REQUEST_TIMEOUT) and the
timeout is not caught, so an action server that hangs would fail every turn, also the
turns that need no custom action ("hello", opening hours, plans). `install` bounds each
action-server call Rasa makes while it extracts slots at EXTRACTION_CALL_SECONDS; a call
that takes longer is logged and given up, as Rasa gives up one it cannot reach. The
action server answers such a call in a few milliseconds, under load too.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable, List

from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.events import Event

from bot.runtime.wrapping import wrap_once

logger = logging.getLogger(__name__)

EXTRACTION_CALL_SECONDS = 3.0


def _bounded(run: Callable[..., Any]) -> Callable[..., Any]:
    async def run_bounded(self: ActionExtractSlots, custom_action: str, *args: Any) -> List[Event]:
        try:
            return await asyncio.wait_for(run(self, custom_action, *args), EXTRACTION_CALL_SECONDS)
        except asyncio.TimeoutError:
            logger.warning("The action server did not run '%s' within %.0f s; the turn goes "
                           "on without it.", custom_action, EXTRACTION_CALL_SECONDS)
            return []
    return run_bounded


def install() -> None:
    wrap_once(ActionExtractSlots, "_run_custom_action", _bounded)
