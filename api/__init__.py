"""The HTTP API and web page: ``create_app(settings)`` in ``api.app``.

Layout: ``routes/<resource>.py`` (one ``APIRouter`` named ``router`` each, discovered by the
app), ``models/<resource>.py`` (response models), ``params.py`` (query parameters →
store ``Query``), ``errors.py`` (the one error envelope), ``deps.py`` (``SettingsDep``,
``StoreDep``), ``web/`` (template, CSS, JS of the page at ``/``).
"""
