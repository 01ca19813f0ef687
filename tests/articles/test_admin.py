import pytest
from django.contrib.auth.models import Group, Permission

from articles.models import Article, Section
from tests.articles.helpers import article_form
from tests.pages import soup

pytestmark = pytest.mark.django_db


def test_editor_adds_an_article_with_sections_through_the_add_form(client, editor):
    client.force_login(editor)
    assert client.get("/admin/articles/article/add/").status_code == 200
    response = client.post(
        "/admin/articles/article/add/",
        article_form(
            [
                ("What are red flags in a therapist?", "- secrecy\n- sexual remarks", "2"),
                ("Is crying in therapy normal?", "Yes, often.", "1"),
                ("What if I cry in a first session?", "That is fine.", ""),
            ]
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    article = Article.objects.get(slug="are-therapists-allowed-to-cry")
    assert article.author == editor and article.status == "draft"
    assert [(s.question, s.position) for s in article.sections.all()] == [
        ("Is crying in therapy normal?", 1),
        ("What are red flags in a therapist?", 2),
        ("What if I cry in a first session?", 3),
    ]
    assert article.sections.get(position=2).anchor == "what-are-red-flags-in-a-therapist"


def test_two_sections_with_the_same_question_get_a_plain_message(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/add/",
        article_form([("Is it OK?", "Yes.", "1"), ("Is it OK?", "No.", "2")]),
    )
    assert response.status_code == 200
    assert "Two sections ask the same question" in response.content.decode()
    assert not Article.objects.exists()


def test_two_new_sections_with_similar_questions_get_different_anchors(client, editor):
    client.force_login(editor)
    client.post(
        "/admin/articles/article/add/",
        article_form([("Is it OK?", "Yes.", "1"), ("Is it OK!", "Also yes.", "2")]),
    )
    assert list(Section.objects.values_list("anchor", flat=True)) == ["is-it-ok", "is-it-ok-2"]


def test_a_reader_cannot_reach_the_admin(client, reader):
    client.force_login(reader)
    response = client.get("/admin/articles/article/add/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post("/admin/articles/article/add/", article_form([("Q?", "A.", "1")]))
    assert response.status_code == 302 and not Article.objects.exists()


def test_editors_group_manages_articles_topics_and_quizzes_only():
    perms = set(
        Group.objects.get(name="Editors").permissions.values_list("content_type__app_label", "codename")
    )
    articles = (
        "article",
        "section",
        "topic",
        "sharelink",
        "searchsynonym",
        "articledraft",
        "draftsection",
        "source",
    )
    models = [("articles", m) for m in articles] + [("quizzes", m) for m in ("quiz", "question", "choice")]
    expected = {
        (app, f"{action}_{model}") for app, model in models for action in ("add", "change", "delete", "view")
    }
    expected.add(("articles", "view_weeklysearch"))  # what readers searched for: only to look at
    assert perms == expected
    assert Permission.objects.filter(codename="change_user").exists()


def test_an_editor_cannot_manage_users_or_groups(client, editor):
    client.force_login(editor)
    assert client.get("/admin/articles/topic/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.get(f"/admin/auth/user/{editor.pk}/change/").status_code == 403


def test_article_list_shows_status_and_question_count_and_searches_questions(client, editor, make_article):
    make_article(sections=2, title="Crying")
    make_article(sections=0, title="Boundaries", status="draft")
    client.force_login(editor)
    page = soup(client.get("/admin/articles/article/"))
    rows = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in page.select("#result_list tbody tr")
    }
    assert "Published" in rows["Crying"] and "2" in rows["Crying"]
    assert "Draft" in rows["Boundaries"] and "0" in rows["Boundaries"]
    found = client.get("/admin/articles/article/", {"q": "Question 2 of article 1"})
    assert "Crying" in found.content.decode() and "Boundaries" not in found.content.decode()


def test_publish_and_unpublish_actions(client, editor, make_article):
    draft = make_article(status="draft")
    client.force_login(editor)
    client.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.is_public
    client.post(
        "/admin/articles/article/",
        {"action": "unpublish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.is_public


def test_change_form_links_to_the_article_on_the_site(client, editor, make_article):
    article = make_article(status="draft")
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "View on site" in page
    assert client.get(f"/articles/{article.slug}/").status_code == 200  # a preview for staff


PASTED = """Skip to Content
Menu
Are therapists allowed to cry?
Yes, within limits.
What are red flags in a therapist?
– Secrecy
– Sexual remarks
"""


def test_import_page_shows_a_preview_before_saving(client, editor):
    client.force_login(editor)
    response = client.post("/admin/articles/article/import/", {"text": PASTED})
    page = response.content.decode()
    assert "Are therapists allowed to cry?" in page and "What are red flags" in page
    assert "Nothing is saved yet" in page
    assert not Article.objects.exists()
    preview = soup(page)
    source = preview.find("textarea", attrs={"name": "text"}).get_text()
    response = client.post(
        "/admin/articles/article/import/", {"text": source, "format": "text", "save": "Save"}
    )
    article = Article.objects.get()
    assert response["Location"] == f"/admin/articles/article/{article.pk}/change/"
    assert article.author == editor and article.status == "draft"
    assert [s.question for s in article.sections.all()] == [
        "Are therapists allowed to cry?",
        "What are red flags in a therapist?",
    ]


def test_import_page_upload_with_bad_file_says_why_and_saves_nothing(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    upload = SimpleUploadedFile("page.txt", "Títle?\nanswer".encode("latin-1"))
    response = client.post("/admin/articles/article/import/", {"file": upload, "save": "1"})
    assert "not UTF-8" in response.content.decode()
    assert not Article.objects.exists()


def test_import_page_never_overwrites_an_existing_slug_without_replace(client, editor, make_article):
    existing = make_article(slug="are-therapists-allowed-to-cry")
    client.force_login(editor)
    response = client.post("/admin/articles/article/import/", {"text": PASTED, "save": "Save"})
    assert "already exists" in response.content.decode()
    assert list(Article.objects.all()) == [existing] and existing.sections.count() == 3


def test_import_page_is_refused_without_add_permission(client, django_user_model):
    viewer = django_user_model.objects.create_user("dora", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    assert client.get("/admin/articles/article/import/").status_code == 403
    response = client.post("/admin/articles/article/import/", {"text": PASTED, "save": "1"})
    assert response.status_code == 403 and not Article.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "published_at__year=9999",
        "published_at__year=9999&published_at__month=12",
        "published_at__year=99999999999",
        "published_at__year=2026&published_at__month=13",
    ],
)
def test_the_date_drill_down_with_a_date_it_cant_count_to_shows_the_list_again(
    client, editor, make_article, query
):
    make_article()
    client.force_login(editor)
    response = client.get(f"/admin/articles/article/?{query}")
    assert response.status_code == 302 and response["Location"] == "/admin/articles/article/?e=1"
    assert client.get(response["Location"]).status_code == 200


def test_importing_two_questions_alike_for_300_characters_says_so_and_saves_nothing(client, editor):
    client.force_login(editor)
    text = f"# A title\n\n## {'q' * 300} one?\n\nAnswer.\n\n## {'q' * 300} two?\n\nAnswer.\n"
    response = client.post(
        "/admin/articles/article/import/", {"text": text, "format": "markdown", "save": "1"}
    )
    assert response.status_code == 200
    assert "can be at most 300" in response.content.decode()
    assert not Article.objects.exists()


# --- deleting: articles, sections and share links ------------------------------------------------


def test_an_editor_deletes_an_article_with_its_sections_votes_and_share_links(client, editor, make_article):
    from articles.models import HelpfulVote, Section, ShareLink

    article = make_article(sections=3)
    section = article.sections.first()
    HelpfulVote.objects.create(section=section, visitor_key="abc", helpful=True)
    ShareLink.objects.create(article=article, created_by=editor)
    client.force_login(editor)
    confirm = client.get(f"/admin/articles/article/{article.pk}/delete/")
    assert confirm.status_code == 200 and "Are you sure" in confirm.content.decode()
    response = client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Section.objects.exists() and not HelpfulVote.objects.exists()
    assert not ShareLink.objects.exists()


def test_an_article_whose_sections_quizzes_test_is_not_deleted_and_the_page_names_the_questions(
    client, editor, make_quiz
):
    quiz = make_quiz(questions=2)
    question = quiz.questions.first()
    article = question.section.article
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{article.pk}/delete/").content.decode()
    assert "protected" in page and question.prompt in page
    client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert Article.objects.filter(pk=article.pk).exists()


def test_an_editor_deletes_a_section_unless_a_quiz_tests_it(client, editor, make_article, make_quiz):
    from articles.models import Section

    section = make_article(sections=2).sections.first()
    client.force_login(editor)
    response = client.post(f"/admin/articles/section/{section.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Section.objects.filter(pk=section.pk).exists()
    tested = make_quiz(questions=1).questions.get()
    page = client.get(f"/admin/articles/section/{tested.section_id}/delete/").content.decode()
    assert tested.prompt in page
    client.post(f"/admin/articles/section/{tested.section_id}/delete/", {"post": "yes"})
    assert Section.objects.filter(pk=tested.section_id).exists()
