"""``ogi-audit serve``: the web app over the same engine and history store, for the disclosure office
and for the agencies that check their drafts before they submit.

One module a job: ``config`` (what the app is started with, and its limits), ``app`` (the Flask app
and what every response carries), ``security`` (sessions, roles, CSRF), ``auth`` (logging in and out),
``uploads`` (an upload saved under a name of our own, sniffed by content, within limits; zips opened
safely), ``check`` (the agencies' self-check and ``POST /api/check``), ``office`` and ``batches``
(batches audited in the background, the dashboard, review, notices, a body's history), ``rules_editor``
(the admin's rule editor). Templates and the style sheet are package data: no CDN, so the app works
on a closed network.

Why Flask and waitress: the engine is synchronous, CPU-bound Python, and every page is rendered with
Jinja2 as the CLI's pages are; Flask is the well-kept framework of that shape (Werkzeug's multipart
parsing with size limits, signed session cookies), and waitress is a pure-Python production server
with a thread pool that runs on the office's Linux or Windows machines without a compiler.
"""
