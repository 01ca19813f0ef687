"""Fuzzing every admin form, one field at a time: no value in any field makes a page answer 5xx
or run away with memory or time.

The pages are found in the admin's registry (the add page, opened as a pop-up too, and the change
page of a real object of each model), and the fields in the forms those pages show: every input,
select and text area, hidden ones included, so the formsets' management forms (TOTAL_FORMS,
INITIAL_FORMS), nested formsets' ids (questions-0-choices-0-id), autocomplete widgets, many-to-many
boxes and the pop-up's `_source_model` are all covered, and a new model, inline or field is covered
without editing this test. Each field gets each hostile value in turn while the rest of the form
is what the browser would send (on an add page, with its empty text boxes filled in when that makes
a form that saves, so that what follows a save is reached too), as a superuser, and as an editor
with fewer values (VALUES). An add page tries what its model's change page did not (the same
form class checks the same fields), and its formsets' counts and ids.
Fields repeated row by row (questions-0-…, questions-1-…) are tried in their first row. Each
autocomplete widget's search is asked hostile questions too. Every request is rolled back, so each
meets the same objects.

Each request runs under a time cap (an alarm) and the process under a memory cap (RLIMIT_AS):
a runaway request fails the test, naming the request, instead of taking the machine with it.
"""

import re
import resource
import signal
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse

from articles.models import ArticleRedirect, SearchSynonym, ShareLink
from articles.services import article_draft_start
from articles.visitors import Reader
from quizzes import services
from tests.pages import form_data, soup
from tests.quizzes.helpers import take

pytestmark = pytest.mark.django_db

LONG = "x" * 100_000
HOSTILE = ["", LONG, "\x00", "99999999999999999999", "x", "1e309"]  # "-1" and more: test_hostile_input.py
# An editor's pages are the superuser's forms behind fewer permissions, which no value changes:
# two values reach every check of theirs, at a third of the time.
VALUES = {"superuser": HOSTILE, "editor": [LONG, "x"]}
SECONDS_PER_REQUEST = 15
MEMORY_HEADROOM = 1_500_000_000  # bytes the test process may grow by while fuzzing


class RequestTooSlow(BaseException):
    """Raised by the alarm: not an Exception, so no view or middleware can swallow it."""


@contextmanager
def caps():
    """A memory cap on the process and an alarm for each request (`within`)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        virtual = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (virtual + MEMORY_HEADROOM, hard))

    def alarm(signum, frame):
        raise RequestTooSlow

    previous = signal.signal(signal.SIGALRM, alarm)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def within(request, what):
    """Run `request()` under the time cap, and undo what it wrote (each request meets the same
    objects); the response, or a failure naming `what`."""
    signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_REQUEST)
    try:
        with transaction.atomic():
            response = request()
            transaction.set_rollback(True)
        return response
    except RequestTooSlow:
        pytest.fail(f"{what}: took more than {SECONDS_PER_REQUEST} s")
    except MemoryError:
        pytest.fail(f"{what}: grew past the memory cap")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


@pytest.fixture
def objects(make_quiz, reader, make_topic):
    """One object of every model the admin has, for its change page."""
    quiz = make_quiz(questions=1)
    article = quiz.questions.get().section.article
    ShareLink.objects.create(article=article)
    take_client = Client()
    take_client.force_login(reader)
    attempt = take(take_client, quiz)
    services.attempt_start(quiz=quiz, reader=Reader(user=reader))
    make_topic("Boundaries")
    SearchSynonym.objects.create(words="hug, touch")
    ArticleRedirect.objects.create(old_slug="old-address", article=article)
    article_draft_start(article=article)  # its page, with its sections' inline
    common = {"user_agent": "x", "ip_address": "10.0.0.1", "username": "alice", "http_accept": "*/*"}
    AccessAttempt.objects.create(**common, path_info="/", get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**common, path_info="/")
    AccessFailureLog.objects.create(**common, path_info="/")
    return {"quiz": quiz, "article": article, "attempt": attempt, "group": Group.objects.get(name="Editors")}


def _admin_pages(objects):
    """The change page of a real object, the add page and its pop-up, of every registered model:
    (model, address) pairs."""
    pages = []
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        instance = model._default_manager.order_by("pk").first()
        if instance is not None:
            pages.append((model, reverse(f"{name}_change", args=[instance.pk])))
        add = reverse(f"{name}_add")
        pages += [
            (model, add),
            (model, f"{add}?{urlencode({'_popup': '1', '_source_model': 'articles.article'})}"),
        ]
    return pages


def _formset_structure(name):
    """A formset's count or a row's id: fields whose handling depends on whether the page's object
    is saved yet, so they are tried on add pages too."""
    return name.endswith("_FORMS") or name.endswith("-id")


def _shape(name):
    """A field's name with its rows' numbers taken out: questions-N-choices-N-id."""
    return re.sub(r"-\d+-", "-N-", name)


def _form_fields(page):
    """The admin form on a page: what the browser would post, and each field's name."""
    form = page.find("form", id=re.compile(r"_form$"))
    if form is None:
        return None, []
    baseline = {
        name: value
        for name, value in form_data(form).items()
        if "__prefix__" not in name and "-empty-" not in name
    }
    names = {
        field["name"]
        for field in form.find_all(["input", "select", "textarea"])
        if field.get("name") and field.get("type") not in ("submit", "button")
    }
    names = {name for name in names if "__prefix__" not in name and "-empty-" not in name}
    names.discard("csrfmiddlewaretoken")
    firsts = {}
    for name in sorted(names, key=lambda n: (len(n), n)):
        firsts.setdefault(_shape(name), name)
    return baseline, sorted(firsts.values())


def _filled(form_page, baseline):
    """The baseline with every empty text box filled in: on an add page, often a form that saves,
    so that what happens after a save (a pop-up's answer) is reached too."""
    form = form_page.find("form", id=re.compile(r"_form$"))
    filled = dict(baseline)
    for n, field in enumerate(form.find_all(["input", "textarea"])):
        name, kind = field.get("name", ""), field.get("type", "text")
        if field.name == "input" and kind not in ("text", "email", "url"):
            continue
        if any(c.startswith(("vDate", "vTime", "vInteger", "vForeignKey")) for c in field.get("class", [])):
            continue
        if name in filled and filled[name] in ([""], [], ""):
            filled[name] = [f"fuzz-value-{n}"]
    return filled


def _autocomplete_urls(page):
    for select in page.select("select.admin-autocomplete"):
        url = select.get("data-ajax--url")
        if url:
            params = {
                "app_label": select.get("data-app-label"),
                "model_name": select.get("data-model-name"),
                "field_name": select.get("data-field-name"),
            }
            yield url, params


@pytest.fixture
def roles(editor, django_user_model, pages_without_template_records):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "root-password")
    clients = {}
    for name, user in [("superuser", root), ("editor", editor)]:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[name] = client
    return clients


def test_no_value_in_any_admin_field_makes_a_page_fail(objects, roles):
    pages = _admin_pages(objects)
    assert len(pages) > 25
    failures, tried, saves, searched = [], set(), set(), set()
    on_change_pages = set()  # (role, model, field) tried on a change page
    with caps():
        for role, client in roles.items():
            for model, url in pages:
                page = within(lambda: client.get(url), f"{role} GET {url}")  # noqa: B023
                if page.status_code >= 500:
                    failures.append(f"{page.status_code} {role} GET {url}")
                if page.status_code != 200:
                    continue
                parsed = soup(page)
                baseline, names = _form_fields(parsed)
                if "_popup=1" in url:  # its own fields only: the rest are the add page's
                    names = [name for name in names if name.startswith("_")]
                elif url.endswith("/change/"):
                    on_change_pages |= {(role, model, name) for name in names}
                else:  # the same form's fields were tried on the change page (one form class)
                    names = [
                        n for n in names if (role, model, n) not in on_change_pages or _formset_structure(n)
                    ]
                if names:
                    filled = _filled(parsed, baseline)
                    saved = within(lambda: client.post(url, filled), f"{role} POST {url} filled in")  # noqa: B023
                    if saved.status_code == 302 or b"data-popup-response" in saved.content:
                        baseline = filled
                        saves.add(url)
                for name in names:
                    for value in VALUES[role]:
                        what = f"{role} POST {url} {name}={value[:20]!r}"
                        response = within(lambda: client.post(url, baseline | {name: value}), what)  # noqa: B023
                        if response.status_code >= 500:
                            failures.append(f"{response.status_code} {what}")
                        tried.add(_shape(name))
                for search, params in _autocomplete_urls(parsed):
                    if (role, search, *params.values()) in searched:
                        continue
                    searched.add((role, search, *params.values()))
                    for key in ["term", *params]:
                        for value in VALUES[role]:
                            query = params | {key: value}
                            what = f"{role} GET {search} {key}={value[:20]!r}"
                            response = within(lambda: client.get(search, query), what)  # noqa: B023
                            if response.status_code >= 500:
                                failures.append(f"{response.status_code} {what}")
    assert failures == [], "\n".join(failures[:60])
    # Add pages (pop-ups too) whose filled-in form saved: what happens after a save is reached.
    assert {"/admin/articles/topic/add/?_popup=1&_source_model=articles.article"} <= saves, saves
    # A draft's page (the objects' draft) was drawn and its form saved as the browser sends it.
    assert any(url.startswith("/admin/articles/articledraft/") for url in saves), saves
    # What the fuzzing reached: management forms, nested formsets, autocomplete, many-to-many, pop-up.
    assert {
        "questions-TOTAL_FORMS",
        "questions-INITIAL_FORMS",
        "questions-N-choices-TOTAL_FORMS",
        "questions-N-choices-N-id",
        "questions-N-id",
        "choices-N-id",
        "section",
        "source_article",
        "topics",
        "permissions",
        "groups",
        "user_permissions",
        "_source_model",
        "sections-N-id",
    } <= tried


# The defects the fuzzing found, each on its own (issue 21).


def errors(response):
    return " ".join(e.get_text(" ", strip=True) for e in soup(response).select(".errorlist"))


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "root-password")


@pytest.mark.parametrize("value", [LONG, "\x00", "x", "99999999999999999999"])
def test_a_picker_given_what_is_no_id_says_so(client, editor, make_quiz, value):
    said = "Null characters are not allowed" if value == "\x00" else "Select a valid choice"
    quiz = make_quiz(questions=1, status="draft")
    client.force_login(editor)
    question = quiz.questions.get()
    page = soup(client.get(f"/admin/quizzes/question/{question.pk}/change/"))
    data = {
        k: v for k, v in form_data(page.find("form", id="question_form")).items() if "__prefix__" not in k
    }
    response = client.post(f"/admin/quizzes/question/{question.pk}/change/", data | {"section": value})
    assert response.status_code == 200
    assert said in errors(response)
    page = soup(client.get("/admin/quizzes/quiz/add/"))
    data = form_data(page.find("form", id="quiz_form")) | {"title": "T", "slug": "t", "source_article": value}
    data = {k: v for k, v in data.items() if "__prefix__" not in k and "-empty-" not in k}
    response = client.post("/admin/quizzes/quiz/add/", data)
    assert response.status_code == 200
    assert said in errors(response)


@pytest.mark.parametrize("picker", ["/admin/quizzes/quiz/sections/search/", "/admin/autocomplete/"])
def test_a_picker_searched_for_100000_characters_answers(client, editor, make_quiz, picker):
    make_quiz(questions=1)
    client.force_login(editor)
    field = {"model_name": "question", "field_name": "section"}
    if picker == "/admin/autocomplete/":
        field = {"model_name": "quiz", "field_name": "source_article"}
    response = client.get(picker, {"term": LONG, "app_label": "quizzes", **field})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_huge_id_in_a_many_to_many_field_is_a_form_error(client, root, editor, make_topic):
    """SQLite's driver can't hold it (faqsite/lookups.py); on any database it is no such row."""
    make_topic("Feelings")
    huge = "99999999999999999999"
    client.force_login(root)
    response = client.post("/admin/auth/group/add/", {"name": "Reviewers", "permissions": [huge]})
    assert response.status_code == 200 and "Select a valid choice" in errors(response)
    user = editor
    page = soup(client.get(f"/admin/auth/user/{user.pk}/change/"))
    data = {k: v for k, v in form_data(page.find("form", id="user_form")).items()}
    for field in ("groups", "user_permissions"):
        response = client.post(f"/admin/auth/user/{user.pk}/change/", data | {field: [huge]})
        assert response.status_code == 200 and "Select a valid choice" in errors(response)
    page = soup(client.get("/admin/articles/article/add/"))
    data = {k: v for k, v in form_data(page.find("form", id="article_form")).items() if "__prefix__" not in k}
    response = client.post(
        "/admin/articles/article/add/", data | {"title": "T", "slug": "t", "topics": [huge]}
    )
    assert response.status_code == 200 and "Select a valid choice" in errors(response)


@pytest.mark.parametrize("source", ["x", "", "\x00", "articles", ".article", "a.b.c"])
def test_a_pop_up_naming_its_page_wrongly_is_refused_before_anything_is_saved(client, editor, source):
    from articles.models import Topic

    client.force_login(editor)
    data = {"name": "Grief", "slug": "grief", "description": "", "_popup": "1", "_source_model": source}
    response = client.post("/admin/articles/topic/add/", data)
    assert response.status_code == 400
    assert "“_source_model” must be an app and a model" in soup(response).get_text()
    assert not Topic.objects.exists()
    # Named rightly (or naming an app the site doesn't have), the pop-up saves as Django means it to.
    response = client.post("/admin/articles/topic/add/", data | {"_source_model": "articles.article"})
    assert response.status_code == 200 and b"data-popup-response" in response.content
    assert Topic.objects.filter(slug="grief").exists()
