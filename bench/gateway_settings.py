"""Settings for bench/gateway.py: the project's, with two reference views mounted beside it."""

from openplatform.settings import *  # noqa: F403

ROOT_URLCONF = "bench.gateway_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
