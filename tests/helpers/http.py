"""Acting over HTTP as a user: the CSRF token of a page, logging in, posting a form."""

from __future__ import annotations

import re

from webforms.demo import DEMO_PASSWORD


def csrf_token(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    if 'name="csrf_token"' not in page:
        page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def login_as(client, login: str, password: str = DEMO_PASSWORD):
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    response = client.post("/login", data={"login": login, "password": password,
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def post(client, url: str, data: dict | None = None, **kwargs):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client)}, **kwargs)


def api(client, method: str, url: str, json=None, raw: bytes | None = None):
    """A JSON API call with the CSRF header (``raw``: a body sent as it is)."""
    headers = {"X-CSRFToken": csrf_token(client), "Accept": "application/json"}
    if raw is not None:
        return client.open(url, method=method, data=raw, headers=headers,
                           content_type="application/json")
    return client.open(url, method=method, json=json, headers=headers)


def form_refused_then_submitted(client, form: str, bad: dict, errors: tuple[str, ...],
                                good: dict) -> int:
    """The page ``form`` posted with ``bad`` is a 422 naming each of ``errors``; posted with
    ``good`` it makes a draft, and the draft is submitted: the draft's id."""
    refused = post(client, form, bad)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    for error in errors:
        assert error in page
    ok = post(client, form, good)
    assert ok.status_code == 302, ok.get_data(as_text=True)
    doc_id = int(ok.headers["Location"].rsplit("/", 1)[1])
    assert post(client, f"/documents/{doc_id}/act/submit").status_code == 302
    return doc_id
