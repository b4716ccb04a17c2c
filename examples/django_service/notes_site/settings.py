"""Minimal settings: no database, no templates; notes live in memory."""
from typing import Any, Dict

SECRET_KEY = "example-only-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
ROOT_URLCONF = "notes_site.urls"
INSTALLED_APPS = ["notes"]
MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
DATABASES: Dict[str, Dict[str, Any]] = {}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

NOTES_API_KEY = "let-me-in"
