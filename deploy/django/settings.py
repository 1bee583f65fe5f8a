"""The smallest Django project that serves the helper the way a NowPlaying backend would.

Only the block between the RECIPE lines belongs in your settings; the rest makes this a
project that tests/e2e/hosting.test.mjs can run (`manage.py collectstatic`, then serve).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "only-for-the-recipe-test"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "urls"
INSTALLED_APPS = ["django.contrib.staticfiles"]
DATABASES = {}
# SecurityMiddleware's own COOP off, as on a backend that loosened it: the page's header
# must come from the recipe.
SECURE_CROSS_ORIGIN_OPENER_POLICY = None

# --- RECIPE: the helper's dist/ at /static/trakt-helper/ ---
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware: whitenoise serves STATIC_ROOT, also with DEBUG off.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # … the backend's other middleware …
]
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# dist/ copied next to manage.py as trakt-helper/; collectstatic puts it under the prefix.
STATICFILES_DIRS = [
    ("trakt-helper", Path(os.environ.get("TRAKT_HELPER_DIST", BASE_DIR / "trakt-helper"))),
]
# Serve index.html for /static/trakt-helper/ (and redirect the address without the "/").
WHITENOISE_INDEX_FILE = True
# Keep the default storage: a manifest storage would rename the files index.html names.
STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def keep_to_itself(headers, path, url):
    """Never inside another page's frame (the page's own meta CSP cannot say this), nor
    within reach of a page on another origin that opened it in a window."""
    headers["X-Frame-Options"] = "DENY"
    headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"


WHITENOISE_ADD_HEADERS_FUNCTION = keep_to_itself
# The page's address, also registered as the Redirect URI of the Trakt application.
TRAKT_REDIRECT_URI = "https://nowplaying.example/static/trakt-helper/"
# --- RECIPE end ---
