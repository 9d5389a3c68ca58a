"""Templates compiled once per deployment (core/templating.py): a new worker's first pages
compile nothing, and a changed template is compiled again."""

from __future__ import annotations

import jinja2
import pytest

from core.auth.roles import Role
from tests.conftest import Auth, Factory, csrf_token


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory):
    """One cache folder for the module: compiling every template takes seconds."""
    return tmp_path_factory.mktemp("template-cache")


def _no_compiling(app, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a template was compiled during a request")

    monkeypatch.setattr(app.jinja_env, "compile", refuse)


def test_a_new_workers_first_pages_compile_no_template(app_factory, cache, monkeypatch):
    first = app_factory(TEMPLATE_CACHE_DIR=str(cache))
    templates = first.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html"))
    assert len(list(cache.iterdir())) == len(templates) > 100

    # the next worker finds every template compiled
    worker = app_factory(TEMPLATE_CACHE_DIR=str(cache))
    _no_compiling(worker, monkeypatch)
    auth = Auth(worker.test_client(), Factory(worker))
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    for path in ("/", "/concerns/", "/returns/dashboard", "/meetings/"):
        page = auth.client.get(path)
        assert page.status_code == 200, path
    assert csrf_token(auth.client, "/concerns/new")


def test_a_changed_template_is_compiled_again(app_factory, cache):
    from core.templating import warm

    app = app_factory(TEMPLATE_CACHE_DIR=str(cache))
    assert warm(app) == 0  # all compiled as the app was made
    source = "{% extends 'layout.html' %}{% block content %}<p>changed</p>{% endblock %}"
    app.jinja_env.loader = jinja2.ChoiceLoader(
        [jinja2.DictLoader({"macros.html": source}), app.jinja_env.loader]
    )
    assert warm(app) == 1
    assert warm(app) == 0


def test_a_cache_folder_that_cannot_be_made_is_said_and_the_app_still_starts(
    app_factory, tmp_path, caplog: pytest.LogCaptureFixture
):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    app = app_factory(TEMPLATE_CACHE_DIR=str(blocked / "cache"))
    assert app.jinja_env.bytecode_cache is not None  # the suite's own, set after
    assert "cannot be made" in caplog.text
    assert app.test_client().get("/sign-in").status_code == 200


def test_a_broken_template_is_said_and_the_others_still_compile(app_factory, cache, caplog):
    from core.templating import warm

    app = app_factory(TEMPLATE_CACHE_DIR=str(cache))
    app.jinja_env.loader = jinja2.ChoiceLoader(
        [jinja2.DictLoader({"broken.html": "{% if %}"}), app.jinja_env.loader]
    )
    assert warm(app) == 0
    assert "Template broken.html not compiled" in caplog.text
