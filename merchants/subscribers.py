"""How the merchants app reacts to other apps' events, inside the emitting transaction."""

from merchants.services.authorizations import authorizations_revoke_for_apps_of
from merchants.services.sandbox import isv_provision_sandbox
from openplatform.events.services import Emitted


def give_the_approved_isv_its_sandbox(emitted: Emitted) -> None:
    isv_provision_sandbox(isv=emitted.event.isv, actor=emitted.actor)


def end_the_authorizations_of_a_cleared_out_isv(emitted: Emitted) -> None:
    authorizations_revoke_for_apps_of(isv_id=emitted.event.isv_id, actor=emitted.actor,
                                      reason=emitted.reason)
