"""The Flask application: the factory below is the table of contents of the service."""

from __future__ import annotations

from typing import Any

from flask import Flask

from storage import blobs, db, migrate
from webforms import (
    account,
    acknowledgments,
    api,
    auth,
    batches,
    converters,
    csrf,
    demo,
    document_list,
    documents,
    errors,
    esign,
    filters,
    headers,
    home,
    input_guard,
    paper_signatures,
    people,
    people_bank,
    programs,
    queue,
    reading,
    render_cli,
    seal_admin,
    settings,
    templates_admin,
    writers,
)
from webforms.config import load as load_config
from workflows import cli as workflow_cli
from workflows import describe, jobs


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    converters.init_app(app)  # bounded ids in URLs; before any route is registered
    input_guard.init_app(app)  # unstorable input refused

    db.init_app(app)
    reading.init_app(app)  # GET, HEAD, OPTIONS only read: no lock taken
    migrate.init_app(app)
    blobs.init_app(app)

    jobs.init_app(app)
    workflow_cli.init_app(app)
    describe.init_app(app)
    render_cli.init_app(app)  # flask render

    csrf.init_app(app)
    auth.init_app(app)
    writers.init_app(app)  # who may write through which route (one table)
    errors.init_app(app)
    headers.init_app(app)  # security headers, no-store, HSTS, Secure cookie, proxies
    filters.init_app(app)
    home.init_app(app)  # where each role starts
    document_list.init_app(app)  # the documents a user may see
    documents.init_app(app)
    queue.init_app(app)
    programs.init_app(app)  # pairs, groups and programs of the organization
    settings.init_app(app)
    seal_admin.init_app(app)  # the organization's seal certificate
    api.init_app(app)
    acknowledgments.init_app(app)  # ознакомление: reading, «Ознакомлен(а)», paper sheets
    esign.init_app(app)  # the regulation on simple electronic signatures, acceptances
    paper_signatures.init_app(app)  # scans of paper originals, qualified signatures
    people.init_app(app)  # the bank of mentors and mentees (П2 stages 2–3)
    people_bank.init_app(app)  # its cards: add, edit, archive, import a staff list, logins
    account.init_app(app)  # one's own password; a given one is changed first
    templates_admin.init_app(app)  # uploaded templates
    batches.init_app(app)  # batch jobs
    demo.init_app(app)
    return app
