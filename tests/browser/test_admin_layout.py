"""The editors' admin as it looks: lists that fit a 1,280 px screen, forms that work on a phone."""

from articles.models import Article
from quizzes.models import Question, Quiz

# Elements that scroll sideways (a wide table in its box), and the page itself.
SIDEWAYS = """() => [document.documentElement, ...document.querySelectorAll('*')].filter(e => {
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.offsetParent !== null;
    return (e === document.documentElement || scrolls) && e.scrollWidth > e.clientWidth + 1;
}).map(e => `${e.id || e.className || e.tagName}: ${e.scrollWidth} > ${e.clientWidth}`)"""

# Form controls a finger can't reach: outside the screen, or cut off by a box around them.
OUT_OF_REACH = """() => [...document.querySelectorAll(
        '#content-main input:not([type=hidden]), #content-main select:not(.admin-autocomplete), '
        + '#content-main textarea, #content-main .select2-container, #content-main .submit-row input')]
    .filter(e => e.offsetParent !== null && !e.closest('.empty-form, [id*="__prefix__"], [id*="-empty"]'))
    .filter(e => {
        const box = e.getBoundingClientRect();
        if (box.left < 0 || box.right > window.innerWidth) return true;
        for (let p = e.parentElement; p; p = p.parentElement) {
            const style = getComputedStyle(p);
            if (style.overflowX !== 'visible') {
                const outer = p.getBoundingClientRect();
                if (box.left < outer.left - 1 || box.right > outer.right + 1) return true;
            }
        }
        return false;
    }).map(e => e.name || e.id || e.className)"""


def test_admin_lists_dont_scroll_sideways_on_a_1280_px_screen(page, site, logged_in_editor):
    page.set_viewport_size({"width": 1280, "height": 900})
    lists = [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/section/",
        "/admin/articles/topic/",
        "/admin/articles/searchsynonym/",
        "/admin/articles/source/",
        "/admin/articles/articleredirect/",
        "/admin/articles/articledraft/",
        "/admin/quizzes/quiz/",
        "/admin/quizzes/question/",
        "/admin/quizzes/quiz/health/",
        "/admin/articles/article/searches/",
    ]
    for url in lists:
        page.goto(f"{site}{url}")
        assert page.locator("#content").is_visible(), url
        assert page.evaluate(SIDEWAYS) == [], url


def test_every_field_of_the_article_question_and_quiz_forms_can_be_reached_on_a_phone(
    page, site, logged_in_editor, shoot
):
    page.set_viewport_size({"width": 375, "height": 800})
    article = Article.objects.get(slug="are-therapists-allowed-to-cry")
    quiz = Quiz.objects.filter(questions__kind="multiple").first()
    forms = [
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/article/add/",
        f"/admin/quizzes/question/{Question.objects.filter(kind='multiple').first().pk}/change/",
        "/admin/quizzes/question/add/",
        f"/admin/quizzes/quiz/{quiz.pk}/change/",
        f"/admin/quizzes/quiz/add/?source_article={article.pk}",
    ]
    for url in forms:
        page.goto(f"{site}{url}")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert page.evaluate(SIDEWAYS) == [], url
        assert page.evaluate(OUT_OF_REACH) == [], url
    # The choices' "Correct" boxes can be ticked with a finger on the quiz's page.
    page.goto(f"{site}/admin/quizzes/quiz/{quiz.pk}/change/")
    box = page.locator("#id_questions-0-choices-0-is_correct")
    was = box.is_checked()
    box.click()
    assert box.is_checked() != was
    shoot(page, "admin-quiz-one-page")


def test_a_published_article_is_edited_as_a_draft_and_published(page, site, logged_in_editor, shoot):
    article = Article.objects.get(slug="are-therapists-allowed-to-cry")
    first = article.sections.first()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site}/admin/articles/article/{article.pk}/change/")
    page.get_by_role("button", name="Edit as a draft").click()
    page.wait_for_url("**/admin/articles/articledraft/*/change/")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate(SIDEWAYS) == [] and page.evaluate(OUT_OF_REACH) == []
    page.locator("#id_sections-0-answer").fill("Yes, and here is the draft's new answer.")
    shoot(page, "admin-article-draft")
    page.set_viewport_size({"width": 1280, "height": 900})
    with page.context.expect_page() as preview:
        page.get_by_role("link", name="Preview").click()
    preview.value.wait_for_load_state()
    assert "This is a draft of a published article" in preview.value.locator(".preview-banner").inner_text()
    preview.value.close()
    page.get_by_role("button", name="Publish this draft").click()
    page.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert "Published the draft" in page.locator(".messagelist").inner_text()
    page.goto(f"{site}{article.get_absolute_url()}")
    assert "the draft's new answer" in page.locator(f"#{first.anchor} + .answer").inner_text()
