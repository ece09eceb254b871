"""How governance reacts to other apps' events, inside the emitting transaction."""

from governance import tasks
from openplatform.events.services import Emitted


def screen_the_submitted_merchant(emitted: Emitted) -> None:
    """Screen a submitted merchant against the negative list once its submission commits."""
    merchant_id = int(emitted.event.payload["data"]["merchant_id"])
    tasks.screen_merchant_task.delay_on_commit(merchant_id)
