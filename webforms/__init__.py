"""The Flask application: the factory below is the table of contents of the service."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)

    from webforms import config as config_module

    config_module.load(app, config)

    from webforms import converters, input_guard  # bounded ids in URLs; unstorable input

    converters.init_app(app)  # before any route is registered
    input_guard.init_app(app)

    from storage import blobs, db, migrate

    db.init_app(app)
    migrate.init_app(app)
    blobs.init_app(app)

    from workflows import cli as workflow_cli
    from workflows import describe, jobs

    jobs.init_app(app)
    workflow_cli.init_app(app)
    describe.init_app(app)

    from webforms import render_cli

    render_cli.init_app(app)

    from webforms import api, auth, csrf, demo, documents, errors, filters, queue, settings

    csrf.init_app(app)
    auth.init_app(app)
    from webforms import writers  # who may write through which route (one table)

    writers.init_app(app)
    errors.init_app(app)
    from webforms import headers  # security headers, no-store, HSTS, Secure cookie, proxies

    headers.init_app(app)
    filters.init_app(app)
    documents.init_app(app)
    queue.init_app(app)
    from webforms import programs  # pairs, groups and programs of the organization
    programs.init_app(app)
    settings.init_app(app)
    api.init_app(app)
    from webforms import people  # the bank of mentors and mentees (П2 stages 2–3)
    people.init_app(app)
    from webforms import batches, templates_admin  # uploaded templates; batch jobs

    templates_admin.init_app(app)
    batches.init_app(app)
    demo.init_app(app)
    return app
