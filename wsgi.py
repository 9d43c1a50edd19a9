"""Entry point: ``flask --app wsgi run`` or any WSGI server (``wsgi:app``)."""

from webforms import create_app

app = create_app()
