"""The API's one parser: JSON with a hard size limit, refused as problem+json."""

from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.renderers import JSONRenderer

from openplatform.api.error_codes import RequestError
from openplatform.api.problems import Problem


class BoundedJSONParser(BaseParser):
    """JSON, refused with 413 above DATA_UPLOAD_MAX_MEMORY_SIZE whatever Content-Length says.

    Not a JSONParser subclass on purpose: DRF would then read ``request.body`` itself, and
    Django's RequestDataTooBig would answer an HTML 400 instead of problem+json.
    """

    media_type = "application/json"
    renderer_class = JSONRenderer

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise Problem(
                code=RequestError.REQUEST_TOO_LARGE,
                detail=_("The request body is larger than %(limit)d bytes.") % {"limit": limit},
            )
        if not raw.strip():
            raise ParseError(_("The request body is empty; send a JSON object."))
        return JSONParser().parse(BytesIO(raw), media_type, parser_context)
