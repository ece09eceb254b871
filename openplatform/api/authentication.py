"""Bearer-token authentication for the API: one query, and errors that say what to do.

DOT's own resource check refuses a suspended app or ISV with an opaque ``invalid_token``;
here the token alone is checked, and the gate or the ISV API's permission answers
``app_suspended`` / ``isv_suspended``.

Capability calls use ``CapabilityTokenAuthentication``, which only reads the header: the
capability gate checks the token itself (its check 1), from its cached decision when it can,
so that a warm call reads no table.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models.query import get_related_populators
from django.utils.translation import gettext as _
from oauth2_provider.models import get_access_token_model
from rest_framework.authentication import BaseAuthentication

from openplatform.api.error_codes import AccessError
from openplatform.api.policy import policy
from openplatform.api.problems import Problem

WWW_AUTHENTICATE = 'Bearer realm="api", error="invalid_token"'


def invalid_token(detail: str | None = None) -> Problem:
    return Problem(
        code=AccessError.INVALID_TOKEN,
        detail=detail or _("The access token is unknown, expired or revoked. Get a new one from "
                           "/oauth/token/ (client_credentials, or refresh_token for a merchant "
                           "authorization)."),
        headers={"WWW-Authenticate": WWW_AUTHENTICATE},
    )


@dataclass(frozen=True)
class _TokenQuery:
    """The token query compiled once per database: its SQL, and how to build the instances
    (the token with its app, user and what the gate's policy reads) from its one row."""

    sql: str
    model: type
    init_list: list[str]
    fields_end: int
    converters: list[tuple[int, list, Any]]
    related_populators: list[Any]

    @classmethod
    def compile(cls, using: str) -> "_TokenQuery":
        queryset = (
            get_access_token_model().objects.using(using)
            .select_related("application", "user", *policy().token_related)
            .filter(token_checksum="")
            .order_by()
        )
        # What ModelIterable does for every query, done once: compiling the five joined
        # tables costs far more Python than running the query.
        compiler = queryset.query.get_compiler(using=using)
        sql, _params = compiler.as_sql()
        select, klass_info = compiler.select, compiler.klass_info
        # The token's own columns come first, then each joined table's.
        end = klass_info["select_fields"][-1] + 1
        converters = compiler.get_converters([column for column, *_rest in select])
        return cls(
            sql=sql,
            model=klass_info["model"],
            init_list=[column.target.attname for column, *_rest in select[:end]],
            fields_end=end,
            converters=[(pos, convs, expression)
                        for pos, (convs, expression) in converters.items()],
            related_populators=get_related_populators(klass_info, select, using),
        )

    def fetch(self, checksum: str, *, using: str):
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [checksum])
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for pos, convs, expression in self.converters:
            value = row[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            row[pos] = value
        token = self.model.from_db(using, self.init_list, row[:self.fields_end])
        for populator in self.related_populators:
            populator.populate(row, token)
        return token


_token_queries: dict[str, _TokenQuery] = {}


def token_checksum(raw_token: str) -> str:
    """What DOT stores instead of the token (``COMPLIANT_BCP_RFC9700_TOKEN_STORAGE``)."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


def bearer_token(request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header ("" if empty); None when the
    request sends no bearer token."""
    scheme, _space, raw_token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return raw_token.strip() if scheme.lower() == "bearer" else None


def load_access_token(raw_token: str):
    """The token row with everything the gate reads, in ONE query (None if unknown)."""
    checksum = token_checksum(raw_token)
    using = router.db_for_read(get_access_token_model())
    query = _token_queries.get(using)
    if query is None:
        query = _token_queries[using] = _TokenQuery.compile(using)
    return query.fetch(checksum, using=using)


class BearerTokenAuthentication(BaseAuthentication):
    """Bearer tokens for every API call (capabilities and the ISV API).

    Unlike DOT's resource check it does not refuse a suspended app or ISV with
    ``invalid_token`` (the gate answers ``app_suspended`` / ``isv_suspended``, which say what
    to do) and it loads the token, app, ISV and merchant authorization in one query.
    A deleted (revoked) or expired token is refused here.
    """

    def authenticate(self, request):
        raw_token = bearer_token(request)
        if raw_token is None:
            return None
        access_token = load_access_token(raw_token) if raw_token else None
        if access_token is None or access_token.is_expired() or access_token.application is None:
            raise invalid_token()
        if access_token.resource and not access_token.allows_audience(
            request.build_absolute_uri(request.path)
        ):
            raise invalid_token(_("This access token is restricted to other resources "
                                  "(RFC 8707); request one without a resource indicator."))
        return access_token.user, access_token

    def authenticate_header(self, request) -> str:
        return WWW_AUTHENTICATE


@dataclass(frozen=True)
class BearerCredential:
    """A bearer token as the client sent it, NOT checked yet: ``CapabilityGate`` checks it."""

    raw: str
    checksum: str


class CapabilityTokenAuthentication(BaseAuthentication):
    """The bearer token of a capability call, handed to the capability gate unchecked.

    Only for views whose permission is ``CapabilityGate`` (``CapabilityAPIView``): the gate
    refuses an unknown, revoked or expired token with ``invalid_token`` before anything else,
    reading the token's expiry from its cached decision. ``request.user`` stays None: a
    capability acts for the merchant in ``request.gate``, whoever the token's user is.
    """

    def authenticate(self, request):
        raw_token = bearer_token(request)
        if raw_token is None:
            return None
        if not raw_token:
            raise invalid_token()
        return None, BearerCredential(raw=raw_token, checksum=token_checksum(raw_token))

    def authenticate_header(self, request) -> str:
        return WWW_AUTHENTICATE
