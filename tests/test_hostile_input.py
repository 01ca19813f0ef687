"""Hostile input everywhere: no address of the site answers 5xx, whatever is sent to it.

The addresses are found in the URL resolver (every named pattern, reader, quiz, accounts and admin
pages alike), the fields in the forms those pages show: a new page or field is covered without
editing this test. Each is tried as a visitor, a reader and a superuser, with long strings, NUL
bytes, invalid UTF-8, huge and negative numbers, repeated parameters, wrong methods and no CSRF
token. Any 5xx fails, with the request that caused it."""

import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.pages import form_data, soup

pytestmark = pytest.mark.django_db

LONG = "x" * 100_000
HOSTILE_VALUES = ["", LONG, "\x00", "-1", "0", "99999999999999999999999", "1e309", "<script>", "%", "../.."]
RAW_QUERIES = ["%ff%fe=%ff", "page=-1", "page=99999999999999999999", "o=%00", "q=1&q=2&q=3", "p=-5&e=x"]
METHODS = ["put", "patch", "delete"]


def _patterns(resolver=None, prefix=""):
    """(name with namespace, converter names by keyword) of every named pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            groups = list(entry.pattern.regex.groupindex)
            yield f"{prefix}{entry.name}", {key: type(converters.get(key)).__name__ for key in groups}


def _values_for(converter, real):
    if converter == "IntConverter":
        return [real, "0", "99999999999999999999999"]
    if converter == "SlugConverter":
        return [real, "no-such-thing", "x" * 300]
    return [real, "no-such-thing", "%00", "x" * 300]


def _addresses(real_values):
    """Concrete addresses for every pattern: with real objects' keys and with hostile ones."""
    addresses = set()
    for name, converters in _patterns():
        if not converters:
            try:
                addresses.add(reverse(name))
            except NoReverseMatch:
                pass
            continue
        for variant in range(3):
            kwargs = {}
            for key, converter in converters.items():
                options = _values_for(converter, real_values.get(key, "1"))
                kwargs[key] = options[min(variant, len(options) - 1)]
            try:
                addresses.add(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return sorted(addresses)


@pytest.fixture
def site(make_quiz, reader, django_user_model):
    quiz = make_quiz(questions=2)
    article = quiz.questions.first().section.article
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "root-password")
    visitor = Client(raise_request_exception=False)
    logged_in = Client(raise_request_exception=False)
    logged_in.force_login(reader)
    staff = Client(raise_request_exception=False)
    staff.force_login(admin)
    attempt = None
    started = logged_in.post(f"/quizzes/{quiz.slug}/start/")
    match = re.search(r"/attempts/(\d+)/", started.get("Location", ""))
    if match:
        attempt = match.group(1)
    real = {
        "slug": article.slug,
        "pk": attempt or "1",
        "position": "1",
        "object_id": str(article.pk),
        "app_label": "articles",
        "token": "x",
    }
    return {"visitor": visitor, "reader": logged_in, "staff": staff}, _addresses(real)


def _check(failures, response, what):
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {what}")


def test_no_address_answers_5xx_to_hostile_input(site):
    clients, addresses = site
    assert len(addresses) > 50  # the resolver was walked: reader, quiz, accounts and admin pages
    failures = []
    for role, client in clients.items():
        for address in addresses:
            page = client.get(address)
            _check(failures, page, f"{role} GET {address}")
            for query in RAW_QUERIES:
                _check(failures, client.get(f"{address}?{query}"), f"{role} GET {address}?{query}")
            for method in METHODS:
                _check(failures, getattr(client, method)(address), f"{role} {method.upper()} {address}")
            fields = set()
            if page.status_code == 200 and "html" in page.get("Content-Type", ""):
                for form in soup(page).find_all("form"):
                    fields |= set(form_data(form))
                    fields |= {
                        f["name"] for f in form.find_all(["input", "textarea", "select"]) if f.get("name")
                    }
            fields.discard("csrfmiddlewaretoken")
            for value in HOSTILE_VALUES:
                data = {name: value for name in fields} or {"x": value}
                _check(
                    failures, client.post(address, data), f"{role} POST {address} all fields={value[:20]!r}"
                )
                for name in fields:
                    _check(
                        failures,
                        client.get(address, {name: value}),
                        f"{role} GET {address}?{name}={value[:20]!r}",
                    )
            # Repeated fields, and a form without its CSRF token from a browser that enforces it.
            _check(
                failures,
                client.post(address, {name: ["1", "2"] for name in fields}),
                f"{role} POST {address} repeated",
            )
    assert failures == [], "\n".join(failures[:40])


def test_no_csrf_token_is_a_403_never_a_5xx(site, reader):
    _, addresses = site
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    strict.force_login(reader)
    failures = []
    for address in addresses:
        _check(failures, strict.post(address, {"x": "1"}), f"POST {address} without CSRF")
    assert failures == [], "\n".join(failures)
