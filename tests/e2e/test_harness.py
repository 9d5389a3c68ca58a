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
