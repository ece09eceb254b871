"""What the accounts app declares to the platform (openplatform.plugins)."""

from openplatform.accounts.errors import AccountError
from openplatform.plugins import AppPlugin

PLUGIN = AppPlugin(label="accounts", error_codes=(AccountError,),
                   urls={"accounts/": "openplatform.accounts.urls"})
