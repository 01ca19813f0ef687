"""Hostile input everywhere: no address of the site answers 5xx, whatever is sent to it.

The addresses are found in the URL resolver (every named pattern, reader, quiz, accounts and admin
pages alike), the fields in the forms those pages show: a new page or field is covered without
editing this test (a new model's admin pages need one of it made in the fixture: the test says so).
Each page is tried with the key of a real object of its own model, and staff must get 200 on every
real change page, so that a page that redirects or is missing can't pass untried. Each is tried as
a visitor, a reader and a superuser, with long strings, NUL bytes, invalid UTF-8, huge and negative
numbers, repeated parameters, wrong methods and no CSRF token. Any 5xx fails, with the request that
caused it."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from articles.models import ArticleRedirect, SearchSynonym, Source
from articles.services import article_draft_start
from faqsite.sitemaps import SITEMAPS
from quizzes.certificates import certificate_token
from quizzes.models import ReviewCard
from quizzes.practice import today as practice_today
from tests.pages import form_data, soup
from tests.quizzes.helpers import start, take

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


def _admin_model(name):
    """The model whose admin page a pattern is (admin:<app>_<model>_<view>), or None."""
    models = [
        m for m in admin.site._registry if name.startswith(f"admin:{m._meta.app_label}_{m._meta.model_name}_")
    ]
    return max(models, key=lambda m: len(m._meta.model_name), default=None)


def _addresses(real_values, real_objects, real_by_name):
    """Concrete addresses for every pattern: with real objects' keys and with hostile ones. An
    admin page of a model takes the key of a real object of that model (`real_objects`), other
    pages named in `real_by_name` the keys given there."""
    addresses = set()
    for name, converters in _patterns():
        if not converters:
            try:
                addresses.add(reverse(name))
            except NoReverseMatch:
                pass
            continue
        real = real_values | real_by_name.get(name, {})
        model = _admin_model(name)
        if model is not None:
            real |= dict.fromkeys(["object_id", "pk", "id"], str(real_objects[model].pk))
        for variant in range(3):
            kwargs = {}
            for key, converter in converters.items():
                options = _values_for(converter, real.get(key, "1"))
                kwargs[key] = options[min(variant, len(options) - 1)]
            try:
                addresses.add(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return sorted(addresses)


def _one_of_each_admin_model(superuser):
    """A real object of each model the admin shows, as its own list shows them (the certificates'
    list shows only certified attempts), the first by id."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    objects = {
        model: model_admin.get_queryset(request).order_by("pk").first()
        for model, model_admin in admin.site._registry.items()
    }
    missing = sorted(model._meta.label for model, obj in objects.items() if obj is None)
    assert not missing, f"make one of each in the site fixture: {missing}"
    return objects


@pytest.fixture
def site(make_quiz, make_article, make_topic, reader, django_user_model):
    # Articles' (and sections') ids run ahead of every other model's, so that an admin page given
    # another model's id (as this test once did) finds nothing and the check below fails.
    for _ in range(5):
        make_article(sections=1).delete()
    quiz = make_quiz(questions=2)
    article = quiz.questions.first().section.article
    admin_user = django_user_model.objects.create_superuser("root", "root@example.org", "root-password")
    visitor = Client(raise_request_exception=False)
    logged_in = Client(raise_request_exception=False)
    logged_in.force_login(reader)
    staff = Client(raise_request_exception=False)
    staff.force_login(admin_user)
    # A certificate (a passed attempt: the attempts' admin lists only those), a question due for
    # practice, and one of each of the other models that have admin pages.
    certified = take(logged_in, make_quiz(questions=1))
    card = ReviewCard.objects.create(user=reader, question=quiz.questions.first(), due_on=practice_today())
    topic = make_topic("Boundaries")
    SearchSynonym.objects.create(words="hug, touch")
    Source.objects.create(key="apa-2017", issuer="American Psychological Association", title="Ethics Code")
    ArticleRedirect.objects.create(old_slug="old-address", article=article)
    article_draft_start(article=article, user=admin_user)
    for log in (AccessAttempt, AccessLog, AccessFailureLog):
        fields = {"get_data": "", "post_data": "", "failures_since_start": 1} if log is AccessAttempt else {}
        log.objects.create(user_agent="tests", ip_address="127.0.0.1", username="alice", **fields)
    attempt = start(logged_in, quiz)
    real = {
        "slug": article.slug,
        "pk": str(attempt.pk),
        "position": "1",
        "app_label": "articles",
        "token": "x",
    }
    real_by_name = {
        "admin:view_on_site": {
            "content_type_id": str(ContentType.objects.get_for_model(article).pk),
            "object_id": str(article.pk),
        },
        "quizzes:quiz_detail": {"slug": quiz.slug},
        "quizzes:attempt_start": {"slug": quiz.slug},
        "articles:topic_detail": {"slug": topic.slug},
        "django.contrib.sitemaps.views.sitemap": {"section": next(iter(SITEMAPS))},
        "articles:section_vote": {"pk": str(article.sections.first().pk)},
        "quizzes:practice_answer": {"pk": str(card.pk)},
        "quizzes:practice_result": {"pk": str(card.pk)},
        "quizzes:certificate": {"token": certificate_token(certified)},
    }
    objects = _one_of_each_admin_model(admin_user)
    change_pages = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        for model, obj in objects.items()
    ]
    clients = {"visitor": visitor, "reader": logged_in, "staff": staff}
    return clients, _addresses(real, objects, real_by_name), change_pages


def _check(failures, response, what):
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {what}")


def test_staff_reach_each_models_real_change_page(site):
    """The addresses below reach real pages: a change page that redirected (another model's id)
    or was missing would leave its forms untried."""
    clients, addresses, change_pages = site
    assert len(change_pages) >= 10
    for page in change_pages:
        assert page in addresses
        response = clients["staff"].get(page)
        assert response.status_code == 200, f"{page}: {response.status_code}"
        assert soup(response).select_one("#content-main form") is not None, page


def test_no_address_answers_5xx_to_hostile_input(site):
    clients, addresses, change_pages = site
    assert len(addresses) > 50  # the resolver was walked: reader, quiz, accounts and admin pages
    assert [clients["staff"].get(page).status_code for page in change_pages] == [200] * len(change_pages)
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
    _, addresses, _ = site
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    strict.force_login(reader)
    failures = []
    for address in addresses:
        _check(failures, strict.post(address, {"x": "1"}), f"POST {address} without CSRF")
    assert failures == [], "\n".join(failures)
