"""The project's wiring (faqsite): the demo loader that runs each app's own, and the Editors group."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles import citations
from articles.demo import ARTICLES, DEMO_DIR, SOURCES
from articles.models import Article, Topic
from faqsite.editors import EDITOR_MODELS, EDITOR_VIEW_MODELS, GROUP
from quizzes.demo import QUIZZES
from quizzes.models import Question, Quiz
from tests.pages import soup

pytestmark = pytest.mark.django_db
SEED = Path(__file__).parent / "articles" / "samples" / "crying.md"


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_goes_on_when_an_editor_has_replaced_a_demo_article():
    """The seed "Are therapists allowed to cry?" imported first takes a demo article's address;
    the demo says what it skipped and why, and loads the rest."""
    call_command("import_article", str(SEED), "--publish", stdout=StringIO())
    seed = Article.objects.get(slug="are-therapists-allowed-to-cry")
    seed_sections = list(seed.sections.values_list("pk", "question"))

    out = load_demo()

    assert "Demo articles: 3 added, 1 already there." in out
    assert "Left as they are (an article with the address exists): are-therapists-allowed-to-cry." in out
    assert list(seed.sections.values_list("pk", "question")) == seed_sections  # left as it was
    # Every question of the quiz on crying tested the replaced article: that quiz is skipped. One
    # question of another quiz did: it is named, and its quiz comes without it.
    assert "Demo quizzes: 2 added, 0 already there, 1 skipped." in out
    assert "Skipped the demo quiz “Tears and feelings in therapy”: none of the sections" in out
    assert (
        "Skipped a question of the demo quiz “Boundaries and red flags”: the article "
        "“are-therapists-allowed-to-cry” has no section #" in out
    )
    assert not Quiz.objects.filter(slug="tears-and-feelings-in-therapy").exists()
    boundaries = next(quiz for quiz in QUIZZES if quiz["slug"] == "boundaries-and-red-flags")
    added = Quiz.objects.get(slug="boundaries-and-red-flags")
    assert added.questions.count() == len(boundaries["questions"]) - 1
    for quiz in Quiz.objects.all():
        assert quiz.status == "published" and not quiz.questions.filter(section__isnull=True).exists()
    # And again: nothing more is added, nothing fails.
    assert "Demo quizzes: 0 added, 2 already there, 1 skipped." in load_demo()


def test_load_demo_goes_on_when_an_editor_has_renamed_or_moved_a_demo_topic():
    load_demo()
    Topic.objects.filter(slug="boundaries").update(slug="professional-boundaries")
    Topic.objects.filter(slug="red-flags").update(name="Warning signs")
    # The demo articles come back with their topics (quizzes first: their questions protect them).
    Quiz.objects.all().delete()
    Article.objects.all().delete()
    load_demo()
    assert set(Topic.objects.values_list("slug", flat=True)) == {
        "professional-boundaries",
        "red-flags",
        "emotions-in-therapy",
        "kinds-of-therapist",
    }
    boundaries = Article.objects.get(slug="boundaries-in-therapy")
    assert set(boundaries.topics.values_list("slug", flat=True)) == {"professional-boundaries", "red-flags"}


def test_load_demo_on_an_empty_database_skips_nothing():
    out = load_demo()
    assert "Skipped" not in out and "Left as they are" not in out
    assert Article.objects.count() == len(ARTICLES) and Quiz.objects.published().count() == len(QUIZZES)
    expected = sum(len(quiz["questions"]) for quiz in QUIZZES)
    assert Question.objects.filter(section__isnull=False).count() == expected


@pytest.mark.parametrize("quiz", QUIZZES, ids=lambda quiz: quiz["slug"])
def test_every_demo_question_is_fair(quiz):
    for kind, prompt, choices, _explanation, _section in quiz["questions"]:
        assert Question.choice_problems(kind, [(text, ok) for text, ok, _note in choices]) == [], prompt


# A code's rule: "APA 3.05", "ACA A.5.e", "BACP, paragraph 34", or a bare number "(3.04)" after
# a code's name (taken as a US one).
CODE_RULE = re.compile(
    r"\b(APA|ACA|NASW|AAMFT) (standards? )?[A-Z]?\.?[0-9]+(\.[0-9a-z]+)*|\bBACP, paragraph [0-9]+"
    r"|(?<=\()[0-9]+\.[0-9]+(?=\))"
)


def demo_texts():
    """Every sentence readers see in the demo: the articles' Markdown and the quizzes' words."""
    for path in sorted(DEMO_DIR.glob("*.md")):
        yield path.name, path.read_text()
    for quiz in QUIZZES:
        for _kind, prompt, choices, explanation, _section in quiz["questions"]:
            words = [prompt, explanation, *(text for text, _ok, _note in choices), *(n for *_, n in choices)]
            yield quiz["slug"], "\n".join(words)


def test_every_rule_the_demo_cites_says_whose_rule_it_is():
    """ "US: APA 4.05", "UK: BACP, paragraph 34", or the sentence names the country ("the US social
    work code (NASW 1.10)"), or a citation marker whose source has a country (its note says
    "United States"): readers outside the US must not take a US rule for theirs."""
    unlabelled = []
    countries = {key: country for key, _short, _issuer, _title, _edition, country, *_ in SOURCES}
    cited = 0
    for source, words in demo_texts():
        for marker in citations.MARKER.finditer(words):
            key, place = marker.groups()
            cited += bool(place)
            if place and not countries[key]:
                unlabelled.append(f"{source}: {marker.group()} cites a source with no country")
        for match in CODE_RULE.finditer(words):
            cited += 1
            country = "UK" if match.group().startswith("BACP") else "US"
            # "US:" in its parenthesis group, or the country named earlier in its sentence.
            group = words[words.rfind("(", 0, match.start()) : match.start()]
            group = "" if ")" in group else group  # a group closed before the rule is not its own
            sentence = re.split(r"[.;?!]\s|\n", words[: match.start()])[-1]
            if f"{country}:" not in group and not re.search(rf"\b{country}\b", sentence):
                unlabelled.append(f"{source}: …{words[max(0, match.start() - 60) : match.end()]}")
    assert cited > 30
    assert unlabelled == []


def test_the_demos_links_between_articles_lead_to_a_published_question(client):
    load_demo()
    checked = 0
    for article in Article.objects.published():
        page = soup(client.get(article.get_absolute_url()))
        for link in page.select(".answer a[href^='/']"):
            path, _, anchor = link["href"].partition("#")
            target = client.get(path)
            assert target.status_code == 200, link
            assert not anchor or soup(target).find(id=anchor) is not None, link
            checked += 1
    assert checked >= 5


def test_the_demo_quizzes_cannot_be_guessed_by_pattern_and_test_understanding():
    """True and false about even; several-answer questions; at least a third of the questions are
    scenarios (a situation, then the question), each choice with its own note; both kinds of quiz."""
    questions = [question for quiz in QUIZZES for question in quiz["questions"]]
    true_false = [choices for kind, _, choices, _, _ in questions if kind == Question.Kind.TRUE_FALSE]
    true_right = sum(1 for choices in true_false if choices[0][1])
    assert abs(true_right - (len(true_false) - true_right)) <= 1
    assert sum(1 for kind, *_ in questions if kind == Question.Kind.MULTIPLE) >= 4
    scenarios = [q for q in questions if re.search(r"\.\s+\S.*(\?|Choose all that apply\.)$", q[1])]
    assert 3 * len(scenarios) >= len(questions), [q[1] for q in scenarios]
    for _, prompt, choices, _, _ in scenarios:
        assert all(note for _, _, note in choices), prompt
    assert {quiz.get("pace", "test") for quiz in QUIZZES} == {"learning", "test"}


def editor_codenames():
    group = Group.objects.get(name=GROUP)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_the_editors_group_holds_exactly_the_permissions_listed_in_one_place():
    expected = {
        (app, f"{action}_{model}")
        for app, models in EDITOR_MODELS.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    } | {(app, f"view_{model}") for app, models in EDITOR_VIEW_MODELS.items() for model in models}
    assert editor_codenames() == expected
    assert not any(app == "auth" for app, _ in editor_codenames())  # never user accounts


def test_migrate_puts_the_editors_group_back_as_listed():
    group = Group.objects.get(name=GROUP)
    group.permissions.clear()
    call_command("migrate", verbosity=0)
    assert len(editor_codenames()) == 4 * sum(len(models) for models in EDITOR_MODELS.values()) + sum(
        len(models) for models in EDITOR_VIEW_MODELS.values()
    )
    Group.objects.filter(name=GROUP).delete()
    call_command("migrate", verbosity=0)
    assert Group.objects.filter(name=GROUP).exists() and editor_codenames()


def test_the_editors_receiver_does_nothing_where_auth_has_no_tables():
    """As after `migrate auth zero`: the migration state has no auth models."""
    from django.apps.registry import Apps

    from faqsite.editors import editors_group_sync

    Group.objects.filter(name=GROUP).delete()
    editors_group_sync(apps=Apps(installed_apps=[]))
    assert not Group.objects.filter(name=GROUP).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/?status=%00",
        "/admin/quizzes/quiz/?status__exact=%00",
        "/search/?q=a%00b",
        "/articles/?page=%00",
        "/articles/a%00b/",
    ],
)
def test_a_nul_character_in_an_address_is_a_400_with_words(client, editor, url):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"
