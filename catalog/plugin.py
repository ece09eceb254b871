"""What the catalog declares to the platform (openplatform.plugins): its public API."""

from openplatform.plugins import AppPlugin

PLUGIN = AppPlugin(label="capabilities", api_urls="catalog.api.urls")
