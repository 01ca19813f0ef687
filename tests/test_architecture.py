"""The apps point one way: faqsite wires them, quizzes may use articles, articles names no other
app, accounts knows only Django's auth, and no app imports faqsite. Read from the source: every
import statement (in functions too), every URL name, template or static path an app's Python
holds as a string, and every URL name, include, extends, tag library and static file its
templates use. So a new module or template is checked without editing this test."""

import ast
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
APPS = ["articles", "quizzes", "accounts", "faqsite"]
# What each app must not use. faqsite may use them all.
FORBIDDEN = {
    "articles": {"quizzes", "accounts", "faqsite"},
    "quizzes": {"accounts", "faqsite"},
    "accounts": {"articles", "quizzes", "faqsite"},
}
URL_NAME = re.compile(r"""\{%\s*url\s+['"](\w+):""")
TEMPLATE_PATH = re.compile(r"""\{%\s*(?:include|extends)\s+['"]([\w/.-]+)['"]""")
STATIC_PATH = re.compile(r"""\{%\s*static\s+['"]([\w/.-]+)['"]""")
TAG_LIBRARIES = re.compile(r"""\{%\s*load\s+([\w ]+?)\s*%\}""")


def imported_apps(path):
    """The project apps that a Python file imports (any import statement, anywhere in it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(APPS)
    return found


def path_app(path):
    """The app a template or static path belongs to: "quizzes/x.html" and
    "admin/quizzes/quiz/x.html" are the quizzes app's; "admin/page.html" is nobody's."""
    parts = path.split("/")
    if parts[0] == "admin":
        return parts[1] if len(parts) > 2 else ""
    return parts[0] if len(parts) > 1 else ""


def python_names(path):
    """The apps whose URL names ("quizzes:quiz_list"), templates or static files
    ("quizzes/includes/x.html") a Python file holds as strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    used = set()
    for text in strings:
        if match := re.fullmatch(r"(\w+):[\w-]+", text):
            used.add(match.group(1))
        elif re.fullmatch(r"[\w/.-]+/[\w.-]+\.(html|txt|css|js)", text):
            used.add(path_app(text))
    return used


def template_names(text):
    """The apps whose URL names, templates, tag libraries or static files a template uses."""
    used = set(URL_NAME.findall(text))
    used |= {path_app(path) for path in TEMPLATE_PATH.findall(text) + STATIC_PATH.findall(text)}
    for libraries in TAG_LIBRARIES.findall(text):
        used |= {library.split("_")[0] for library in libraries.split()}
    return used - {""}


def app_files(app):
    return [path for path in (PROJECT / app).rglob("*.py") if "migrations" not in path.parts]


def templates_of(app):
    folders = [PROJECT / "templates" / app, PROJECT / "templates" / "admin" / app]
    return [path for folder in folders for path in folder.rglob("*") if path.is_file()]


def rel(path):
    return str(path.relative_to(PROJECT))


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_imports_only_what_it_may(app):
    wrong = {rel(path): sorted(imported_apps(path) & FORBIDDEN[app]) for path in app_files(app)}
    assert not {path: apps for path, apps in wrong.items() if apps}


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_names_only_the_urls_templates_and_files_it_may(app):
    wrong = {rel(path): sorted(python_names(path) & FORBIDDEN[app]) for path in app_files(app)}
    wrong |= {
        rel(path): sorted(template_names(path.read_text(encoding="utf-8")) & FORBIDDEN[app])
        for path in templates_of(app)
    }
    assert not {path: apps for path, apps in wrong.items() if apps}


def test_migrations_import_no_other_app():
    """Data migrations carry their own code; the only project import a migration may hold is its
    own app's, which Django writes for a field's default function."""
    wrong = {
        rel(path): sorted(imported_apps(path) - {app})
        for app in APPS
        for path in (PROJECT / app).glob("migrations/*.py")
        if imported_apps(path) - {app}
    }
    assert not wrong


@pytest.mark.parametrize(
    ("source", "apps"),
    [
        ("from quizzes.models import Quiz", {"quizzes"}),
        ("import accounts.views", {"accounts"}),
        ("def f():\n    from faqsite import settings", {"faqsite"}),
        ("from django.db import models\nfrom . import models as local", set()),
    ],
)
def test_the_import_reader_sees_every_kind_of_import(tmp_path, source, apps):
    path = tmp_path / "module.py"
    path.write_text(source)
    assert imported_apps(path) == apps


def test_the_python_reader_sees_url_names_and_paths_held_as_strings(tmp_path):
    path = tmp_path / "module.py"
    path.write_text(
        'PAGES = ["quizzes:quiz_list"]\nreverse("accounts:login")\nvoter = "user:1 x"\n'
        'render(request, "admin/faqsite/page.html")\nMedia = "articles/admin/admin.css"\n'
    )
    assert python_names(path) == {"quizzes", "accounts", "faqsite", "articles"}


def test_the_template_reader_sees_url_names_includes_tag_libraries_and_static_files():
    text = (
        "{% load articles_tags quizzes_tags %}{% url 'accounts:login' %}"
        '{% include "quizzes/x.html" %}{% extends "admin/faqsite/page.html" %}'
        "{% static 'quizzes/admin/admin.css' %}{% extends \"admin/page.html\" %}{% include 'base.html' %}"
    )
    assert template_names(text) == {"articles", "quizzes", "accounts", "faqsite"}
