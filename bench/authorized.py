"""The caller the gateway and payment benchmarks share: a live app of an active ISV, subscribed
to one pack with quotas high enough that a run measures the code, not its 429s, and authorized
by an active merchant; plus a fresh bearer token acting for that merchant."""

import uuid
from datetime import timedelta


def authorized_token(*, isv_name: str, pack_code: str) -> str:
    """Migrate, make (or reuse) the ISV, app, subscription, merchant and authorization named by
    ``isv_name``, and return a new access token with scope ``pack:<pack_code>``."""
    from django.core.management import call_command
    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model

    from catalog.models import FunctionPack
    from isv.choices import AppState, IsvState, SubscriptionState
    from isv.models import App, Isv, Subscription
    from merchants.choices import MerchantState
    from merchants.models import Authorization, AuthorizationToken, Merchant
    from openplatform.api.gate import bump_generation_keys, generation_keys_for
    from tests import factories

    call_command("migrate", verbosity=0)
    isv = Isv.objects.filter(name=isv_name).first() or factories.make_isv(
        name=isv_name, state=IsvState.ACTIVE)
    app = App.objects.filter(isv=isv).first() or factories.make_app(isv=isv, state=AppState.LIVE)
    pack = FunctionPack.objects.get(code=pack_code)
    Subscription.objects.update_or_create(
        app=app, pack=pack, defaults={"state": SubscriptionState.ACTIVE,
                                      "daily_quota_override": 100_000_000,
                                      "per_second_quota_override": 100_000})
    merchant = Merchant.objects.filter(isv=isv).first() or factories.make_merchant(
        isv=isv, state=MerchantState.ACTIVE)
    authorization = Authorization.objects.filter(merchant=merchant, app=app).first() \
        or factories.make_authorization(merchant=merchant, app=app, packs=[pack])
    token = f"bench-{uuid.uuid4().hex}"
    access_token = get_access_token_model().objects.create(
        application=app, token=token, scope=pack.scope,
        expires=timezone.now() + timedelta(hours=2))
    AuthorizationToken.objects.create(access_token=access_token, authorization=authorization)
    # Fresh generations, as the current code writes them (one left by an older run may be of
    # another type, which costs more to read).
    for instance in (isv, app, merchant, authorization):
        bump_generation_keys(generation_keys_for(instance))
    return token
