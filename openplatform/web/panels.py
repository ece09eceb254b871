"""Drawing the panels apps add to a page (``openplatform.plugins.Panel``)."""

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from openplatform.plugins import Panel


def render_panels(panels: Iterable[Panel], request: HttpRequest, *objects: Any) -> list[SafeString]:
    """Each panel's HTML, in order, leaving out those whose context is None."""
    rendered = []
    for panel in panels:
        context = panel.context(request, *objects)
        if context is not None:
            rendered.append(render_to_string(panel.template, context, request=request))
    return rendered
