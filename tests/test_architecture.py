"""The apps point one way: faqsite wires them, quizzes may use articles, articles names no other
app, accounts knows only Django's auth, and no app imports faqsite. Read from the source (every
import statement, in functions too, and the URL names and templates the apps use), so a new
module or template is checked without editing this test."""

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
# The templates each app renders live in templates/<app>/ (and templates/admin/<app>/).
URL_NAME = re.compile(
    r"""\{%\s*url\s+['"](\w+):|reverse(?:_lazy)?\(\s*['"](\w+):|resolve_url\(\s*['"](\w+):"""
)
TEMPLATE_USE = re.compile(r"""\{%\s*(?:include|extends)\s+['"](\w+)/|\{%\s*load\s+([\w ]+)%\}""")


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


def python_url_namespaces(path):
    """Namespaces of the URL names a Python file holds as strings ("quizzes:quiz_list")."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    return {match.group(1) for text in strings if (match := re.fullmatch(r"(\w+):[\w-]+", text))}


def url_namespaces(text):
    return {name for match in URL_NAME.finditer(text) for name in match.groups() if name}


def template_apps(text):
    used = set()
    for folder, loaded in TEMPLATE_USE.findall(text):
        used |= {folder} - {""}
        used |= {library.split("_")[0] for library in loaded.split()}
    return used


def app_files(app, pattern):
    return [path for path in (PROJECT / app).rglob(pattern) if "migrations" not in path.parts]


def templates_of(app):
    return [
        *(PROJECT / "templates" / app).rglob("*.html"),
        *(PROJECT / "templates" / "admin" / app).rglob("*.html"),
    ]


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_imports_only_what_it_may(app):
    wrong = {
        str(path.relative_to(PROJECT)): sorted(imported_apps(path) & FORBIDDEN[app])
        for path in app_files(app, "*.py")
    }
    assert not {path: apps for path, apps in wrong.items() if apps}


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_names_only_its_own_urls_and_templates(app):
    # accounts and quizzes may link to the site's home (articles) in templates; never the reverse.
    wrong = {}
    for path in app_files(app, "*.py"):
        used = python_url_namespaces(path)
        if used & FORBIDDEN[app]:
            wrong[str(path.relative_to(PROJECT))] = sorted(used & FORBIDDEN[app])
    if app == "articles":
        for path in templates_of(app):
            text = path.read_text(encoding="utf-8")
            used = (url_namespaces(text) | template_apps(text)) & FORBIDDEN[app]
            if used:
                wrong[str(path.relative_to(PROJECT))] = sorted(used)
    assert not wrong


def test_migrations_import_no_other_app():
    """Data migrations carry their own code; the only project import a migration may hold is its
    own app's, which Django writes for a field's default function."""
    wrong = {
        str(path.relative_to(PROJECT)): sorted(imported_apps(path) - {app})
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


def test_the_url_name_reader_sees_names_held_as_strings(tmp_path):
    path = tmp_path / "module.py"
    path.write_text('PAGES = ["quizzes:quiz_list"]\nreverse("accounts:login")\nvoter = "user:1 x"\n')
    assert python_url_namespaces(path) == {"quizzes", "accounts"}


def test_the_template_reader_sees_url_names_includes_and_tag_libraries():
    text = """{% load articles_tags quizzes_tags %}{% url 'accounts:login' %}{% include "quizzes/x.html" %}"""
    assert url_namespaces(text) == {"accounts"}
    assert template_apps(text) == {"articles", "quizzes"}
