"""Templates compiled once per deployment, not in every worker's first requests.

Jinja compiles a template to Python the first time a process renders it: a page's first
request in each new worker paid for compiling its whole chain (the layout, the GOV.UK
macros, the page), about 200 ms for the dashboard. With ``TEMPLATE_CACHE_DIR`` (by default
``instance/template-cache``) the compiled code is kept on disk (Jinja's
``FileSystemBytecodeCache``, checked against each template's source, so an upgraded
template is compiled again), every template missing from it is compiled as a worker
starts (the first start after an upgrade pays once), and the templates every page extends
are loaded before the first request. Only what a page needs is loaded into a worker's
memory, as before. The test suite, which builds an app per test, turns it off and keeps
its compiled templates in memory (tests/support/templates.py).
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from jinja2 import FileSystemBytecodeCache, TemplateSyntaxError

log = logging.getLogger(__name__)

# What every page extends or imports: loaded as a worker starts.
SHARED = ("layout.html", "macros.html", "govuk_frontend_jinja/template.html")


def init_template_cache(app: Flask) -> None:
    folder = app.config.get("TEMPLATE_CACHE_DIR")
    if not folder:
        return
    path = Path(folder)
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        log.warning(
            "TEMPLATE_CACHE_DIR %s cannot be made (%s): templates are compiled in each "
            "worker at their first use",
            folder,
            error.strerror,
        )
        return
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(path))
    warm(app)


def warm(app: Flask) -> int:
    """Compile into the cache every template not in it yet; load the shared ones. Returns
    how many were compiled."""
    env = app.jinja_env
    cache = env.bytecode_cache
    loader = env.loader
    assert cache is not None and loader is not None
    compiled = 0
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        source, filename, _ = loader.get_source(env, name)
        bucket = cache.get_bucket(env, name, filename, source)
        if bucket.code is None:
            try:
                bucket.code = env.compile(source, name, filename)
            except TemplateSyntaxError as error:
                # as without the cache: the page that uses it fails, not the whole app
                log.warning("Template %s not compiled: %s (line %s)", name, error, error.lineno)
                continue
            try:
                cache.set_bucket(bucket)
            except OSError as error:
                log.warning(
                    "Templates not kept in %s (%s)", app.config["TEMPLATE_CACHE_DIR"], error
                )
                break
            compiled += 1
    for name in SHARED:
        env.get_template(name)
    return compiled
