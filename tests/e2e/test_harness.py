"""The journey harness itself: axe-core really runs in the page, under the app's CSP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_an_unlabelled_field_fails_the_accessibility_check(journey):
    journey.open("/sign-in", "sign-in")
    journey.page.evaluate(
        "() => document.querySelector('main').appendChild(document.createElement('input'))"
    )
    with pytest.raises(AssertionError, match="critical: label: Form elements must have labels"):
        journey.check("unlabelled-field")


def test_the_csp_refuses_inline_script_so_axe_is_evaluated_instead(journey):
    from tests.e2e.journey import AXE_SCRIPT

    journey.open("/sign-in", "sign-in")
    with pytest.raises(Exception, match="Content Security Policy"):
        journey.page.add_script_tag(path=str(AXE_SCRIPT))
    assert journey.page.evaluate("() => axe.version")  # loaded by the check
    # the refusal reached the console: the journey would have failed on it
    assert any("Content Security Policy" in text for text in journey.console_errors)
    journey.console_errors.clear()


def test_the_served_app_closes_each_response_before_the_browser_can_hang_up(app):
    """werkzeug's server skips a response's close() when the browser hangs up mid-response;
    the harness closes it first, so a favicon's open file never outlives its request."""
    from werkzeug.test import EnvironBuilder

    from tests.e2e.conftest import closing_each_response

    opened = []

    def start_response(status, headers, exc_info=None):
        opened.append(status)

    def keep_file(environ, start_response):
        body = app(environ, start_response)
        opened.append(body)
        return body

    served = closing_each_response(keep_file)
    environ = EnvironBuilder(path="/static/favicon.svg").get_environ()
    chunks = served(environ, start_response)
    status, body = opened
    assert status == "200 OK"
    assert b"<svg" in b"".join(chunks)
    assert body.file.closed  # werkzeug's FileWrapper over the file send_file opened
