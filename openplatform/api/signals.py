"""A cached gate decision dies with its access token: changing or deleting a token, or its
link to a merchant authorization, bumps the token's gate generation once the change commits.

Receivers rather than calls from our services: django-oauth-toolkit deletes tokens itself (the
revocation endpoint, refresh-token rotation and reuse protection, ``cleartokens``) as well as
our services do, and every one of those paths goes through the ORM's delete, which sends
``post_delete`` for each row (a receiver turns off the fast bulk delete for these models).
The kernel watches DOT's access tokens; the app whose model links a token to what it acts
under watches that model too (``watch_tokens``).
"""

from functools import partial

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from oauth2_provider.models import get_access_token_model

from openplatform.api import gate


def _bump_after_commit(sender, instance, using, created=False, **kwargs) -> None:
    if created:  # nothing can be cached yet for a token that did not exist
        return
    # The keys now: once deleted, the instance has lost its primary key.
    keys = gate.generation_keys_for(instance)
    transaction.on_commit(partial(gate.bump_generation_keys, keys), using=using, robust=True)


def watch_tokens(model: type[models.Model]) -> None:
    """Bump the gate generations of ``model``'s rows (its ``gate_subjects``) whenever one is
    changed or deleted, by whichever code path."""
    for signal in (post_save, post_delete):
        signal.connect(_bump_after_commit, sender=model,
                       dispatch_uid=f"gate-generation-{model._meta.label_lower}")


def connect() -> None:
    watch_tokens(get_access_token_model())
