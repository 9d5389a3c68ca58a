"""Reading a page's form and its errors as a person would see them."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Errors(HTMLParser):
    """The page's title, the error summary's entries and the messages beside fields."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.summary: list[str] = []
        self.inline: list[str] = []
        self._in: list[str] = []  # what the text being read belongs to
        self._depth = 0
        self._summary_depth: int | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in VOID:
            return
        self._depth += 1
        if tag == "title":
            self._in.append("title")
        elif "govuk-error-summary__list" in classes:
            self._summary_depth = self._depth
        elif tag == "li" and self._summary_depth is not None:
            self._in.append("summary")
            self._text = ""
        elif "govuk-error-message" in classes:
            self._in.append("inline")
            self._text = ""
        elif "govuk-visually-hidden" in classes and self._in and self._in[-1] == "inline":
            self._in.append("hidden")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if (self._in and self._in[-1] == "hidden" and tag == "span") or (
            self._in and self._in[-1] == "title" and tag == "title"
        ):
            self._in.pop()
        elif self._in and self._in[-1] == "summary" and tag == "li":
            self.summary.append(" ".join(self._text.split()))
            self._in.pop()
        elif self._in and self._in[-1] == "inline" and tag == "p":
            self.inline.append(" ".join(self._text.split()))
            self._in.pop()
        if self._summary_depth == self._depth:
            self._summary_depth = None
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._in:
            return
        if self._in[-1] == "title":
            self.title += data
        elif self._in[-1] in ("summary", "inline"):
            self._text += data


def page_errors(page: str) -> tuple[str, list[str], list[str]]:
    """(title, the error summary's entries, the messages beside the fields)."""
    reader = _Errors()
    reader.feed(page)
    return " ".join(reader.title.split()), reader.summary, reader.inline


def error_problems(page: str) -> list[str]:
    """What is wrong with how a refused form says so (GOV.UK error message guidance):
    nothing said; a message beside a field missing from the summary; a title without
    "Error:"."""
    title, summary, inline = page_errors(page)
    problems = []
    if not summary:
        problems.append("no error summary")
    missing = Counter(inline) - Counter(summary)
    if missing:
        problems.append(f"beside a field but not in the summary: {sorted(missing)}")
    if summary and not title.startswith("Error:"):
        problems.append(f"title without 'Error:': {title!r}")
    problems += [f"a library's message: {m!r}" for m in summary if LIBRARY.search(m)]
    problems += [f"a code, not words: {m!r}" for m in summary if CODE.search(m)]
    return problems


# WTForms' and marshmallow's own wording, which names no field
LIBRARY = re.compile(
    r"Invalid [Cc]hoice|Not a valid|This field is required|could not be coerced|"
    r"Field must|Field cannot|Missing data for required field|Unknown field"
)
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # an API code (not_started) shown to a person


@dataclass
class PageForm:
    """A form of a page that posts: where it posts and its fields, as (tag, type, name,
    value) in the page's order; its buttons as (name, value)."""

    action: str
    fields: list[tuple[str, str, str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[PageForm] = []
        self._open: PageForm | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form" and found.get("method", "get").lower() == "post":
            self._open = PageForm(found.get("action", ""))
            self.forms.append(self._open)
        if self._open is None or "name" not in found:
            return
        kind = found.get("type", "text").lower()
        if tag == "button" or kind == "submit":
            self._open.buttons.append((found["name"], found.get("value", "")))
        elif tag in ("input", "textarea", "select"):
            self._open.fields.append((tag, kind, found["name"], found.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def post_forms(page: str) -> list[PageForm]:
    """The forms of ``page`` that post, in its order."""
    reader = _Forms()
    reader.feed(page)
    return reader.forms


TOO_LONG = "x" * 20_001  # longer than any text the hub takes


def bad_answers(form: PageForm) -> list[tuple[str, str]]:
    """What a person could wrongly send in ``form``: every text far too long, every day
    one that does not exist (30 February), every choice one not offered; hidden fields
    (the CSRF token, the record in hand) as the page gave them; its first button."""
    sent: list[tuple[str, str]] = []
    seen: Counter[str] = Counter()
    for tag, kind, name, value in form.fields:
        seen[name] += 1
        if kind == "hidden":
            sent.append((name, value))
        elif kind in ("radio", "checkbox") or tag == "select":
            if seen[name] == 1:
                sent.append((name, "not-a-choice"))
        elif kind == "file":
            continue
        elif name.endswith(("-day", "_day")) or (_parts(form, name) and seen[name] == 1):
            sent.append((name, "30"))
        elif name.endswith(("-month", "_month")) or (_parts(form, name) and seen[name] == 2):
            sent.append((name, "2"))
        elif name.endswith(("-year", "_year")) or (_parts(form, name) and seen[name] == 3):
            sent.append((name, "2026"))
        else:
            sent.append((name, TOO_LONG))
    sent += form.buttons[:1]
    return sent


def _parts(form: PageForm, name: str) -> bool:
    """Whether ``name`` is a GOV.UK date input of three inputs of one name (WTForms)."""
    return sum(1 for _, kind, other, _ in form.fields if other == name and kind == "text") == 3
