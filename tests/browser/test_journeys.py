"""The journeys of readers, quiz-takers and editors, each in a real browser."""

import json
import re
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from playwright.sync_api import expect

from articles.models import Article
from quizzes.models import Attempt, AttemptItem, Quiz

pytestmark = pytest.mark.django_db(transaction=True)

QUIZ = "tears-and-feelings-in-therapy"


def answer_current_question(page, choice=0):
    """Choose a choice on the question page and save (the first one unless told)."""
    page.locator("input[name=answer]").nth(choice).check()
    page.get_by_role("button", name="Save and continue").click()


def answer_current_question_wrongly(page):
    """Choose a wrong choice on the question page, found by its text (each attempt asks the
    choices in its own order), and save."""
    pk, position = re.search(r"/attempts/(\d+)/questions/(\d+)/", page.url).groups()
    asked = AttemptItem.objects.get(attempt_id=pk, position=position).asked
    page.get_by_label(next(c["text"] for c in asked["choices"] if not c["correct"]), exact=True).check()
    page.get_by_role("button", name="Save and continue").click()


def sign_up(page, username):
    page.get_by_role("link", name="Sign up").first.click()
    page.locator("#id_username").fill(username)
    page.locator("#id_email").fill(f"{username}@example.org")
    page.locator("#id_password1").fill("calm-river-stones-42")
    page.locator("#id_password2").fill("calm-river-stones-42")
    page.get_by_role("button", name="Create my account").click()


def test_a_reader_reads_jumps_to_a_question_and_searches(page, site, shoot):
    page.goto(site)
    # A plain question typed into the home page's search box finds its section first.
    home_search = page.get_by_role("combobox", name="Ask a question or search for a word")
    home_search.fill("can my therapist hug me")
    home_search.press("Enter")
    expect(page.locator(".search-hit h2").first).to_have_text("Can a therapist hug a client who is crying?")
    expect(page.get_by_role("combobox", name="Search the questions and answers")).to_have_value(
        "can my therapist hug me"
    )
    shoot(page, "1-reader-search-from-home")
    again = page.get_by_role("combobox", name="Search the questions and answers")
    again.fill("qwertyuiop")
    again.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("No answers found")
    expect(page.get_by_role("heading", name="Questions answered here")).to_be_visible()
    shoot(page, "1-reader-search-nothing-found")
    page.goto(site)
    shoot(page, "1-reader-home")
    page.get_by_role("link", name="Are therapists allowed to cry?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are therapists allowed to cry?")
    toc = page.get_by_role("navigation", name="On this page")
    toc.get_by_role("link", name="Can a therapist hug a client who is crying?").click()
    expect(page).to_have_url(re.compile(r"#can-a-therapist-hug-a-client-who-is-crying$"))
    expect(page.locator("#can-a-therapist-hug-a-client-who-is-crying")).to_be_in_viewport()
    page.get_by_role("searchbox", name="Search the articles").fill("gifts")
    page.get_by_role("searchbox", name="Search the articles").press("Enter")
    expect(page.locator(".search-hit").first).to_contain_text("gift")
    page.locator(".search-hit a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/boundaries-in-therapy/#is-it-all-right-to-give"))
    expect(page.locator("#is-it-all-right-to-give-my-therapist-a-gift")).to_be_in_viewport()
    shoot(page, "1-reader")


def test_a_new_reader_signs_up_takes_a_quiz_leaves_and_resumes(page, context, site, shoot):
    page.goto(site)
    sign_up(page, "dana")
    page.goto(f"{site}/quizzes/{QUIZ}/")
    page.get_by_role("button", name="Start the quiz").click()
    for _ in range(3):
        answer_current_question(page)
    expect(page.locator(".quiz-progress-label")).to_have_text("Question 4 of 8")
    page.close()
    # Another day: a new tab, the quiz's page, "Resume".
    page = context.new_page()
    page.goto(f"{site}/quizzes/{QUIZ}/")
    expect(page.get_by_text("In progress: 3 of 8 answered")).to_be_visible()
    page.get_by_role("link", name="Resume the quiz").click()
    expect(page.locator(".quiz-progress-label")).to_have_text("Question 4 of 8")
    for _ in range(5):
        answer_current_question(page)
    page.get_by_role("button", name="Finish and see my results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".result-score")).to_contain_text("of 8")
    expect(page.locator(".explanation").first).to_be_visible()
    shoot(page, "2-quiz-results")
    link = page.locator(".read-more a").first
    href = link.get_attribute("href")
    link.click()
    anchor = href.split("#")[1]
    expect(page).to_have_url(re.compile(f"#{anchor}$"))
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()


ERROR_RED = "rgb(179, 38, 30)"


def test_forms_show_one_error_pattern_and_its_links_lead_to_the_fields(page, site, shoot):
    """Sign-up and a quiz question, refused: the same summary at the top, each link moves focus to
    its field, and the field's group has the red bar beside its message."""
    page.goto(f"{site}/accounts/signup/")
    page.locator("#id_username").fill("erin")
    page.locator("#id_email").fill("erin-at-example")
    page.get_by_role("button", name="Create my account").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()  # read out first, as the page opens
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    summary.get_by_role("link", name="Enter an email address in the right form").click()
    expect(page.locator("#id_email")).to_be_focused()
    expect(page.locator("#div_id_email")).to_have_css("border-left-color", ERROR_RED)
    expect(page.locator("#div_id_username")).not_to_have_css("border-left-color", ERROR_RED)
    expect(page.locator("#id_email")).to_have_value("erin-at-example")  # nothing typed is lost
    shoot(page, "2-sign-up-errors")
    page.goto(f"{site}/quizzes/{QUIZ}/")
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("alert").get_by_role("link", name="Choose an answer.").click()
    expect(page.locator("input[name=answer]").first).to_be_focused()
    expect(page.locator(".choices")).to_have_css("border-left-color", ERROR_RED)
    shoot(page, "2-question-error")


def test_a_visitors_answers_move_into_the_account_they_sign_up_for(page, site, shoot):
    page.goto(f"{site}/quizzes/{QUIZ}/")
    page.get_by_role("button", name="Start the quiz").click()
    answer_current_question(page)
    answer_current_question(page, choice=1)
    sign_up(page, "erin")
    page.get_by_role("link", name="My progress").click()
    row = page.get_by_role("row", name=re.compile("Tears and feelings in therapy"))
    expect(row).to_contain_text("In progress: 2 of 8 answered")
    shoot(page, "3-progress-after-sign-up")
    assert Attempt.objects.get().user.username == "erin"


def test_an_editor_writes_and_publishes_an_article_and_a_quiz(page, site, editors_group, shoot):
    editor = get_user_model().objects.create_user("frank", password="editor-pass-123", is_staff=True)
    editor.groups.add(editors_group)
    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("frank")
    page.get_by_label("Password").fill("editor-pass-123")
    page.get_by_role("button", name="Log in").click()
    # First log-in of an editor: the second step is set up (a code from an authenticator app).
    expect(page.get_by_role("heading", name="Set up two-step log-in")).to_be_visible()
    shoot(page, "editor-two-step-set-up")
    secret = b32decode(page.locator(".totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("Code from your authenticator app").fill(f"{totp(secret):06d}")
    page.get_by_role("button", name="Turn on two-step log-in").click()
    expect(page.get_by_text("Two-step log-in is on")).to_be_visible()
    page.goto(f"{site}/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("When does therapy end?")
    expect(page.locator("#id_slug")).to_have_value("when-does-therapy-end")
    page.locator("#id_summary").fill("How a good ending is planned together.")
    page.locator("#id_sections-0-question").fill("Who decides when therapy ends?")
    page.locator("#id_sections-0-answer").fill("You and your therapist, **together**.")
    page.get_by_role("button", name="Preview").first.click()
    expect(page.locator(".answer-preview strong").first).to_have_text("together")
    page.get_by_text("Add another Section").click()
    page.locator("#id_sections-1-question").fill("What if therapy stops helping?")
    page.locator("#id_sections-1-answer").fill("Say so: a good therapist reviews progress with you.")
    page.get_by_text("Add another Section").click()
    page.locator("#id_sections-2-question").fill("Can an ending be planned?")
    page.locator("#id_sections-2-answer").fill("Yes: many endings are planned over a few sessions.")
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.goto(site)
    expect(page.get_by_role("link", name="When does therapy end?")).to_be_visible()
    assert Article.objects.get(slug="when-does-therapy-end").sections.count() == 3

    # The quiz, its three questions, their choices and sections: written on one page, saved once.
    article = Article.objects.get(slug="when-does-therapy-end")
    page.goto(f"{site}/admin/articles/article/{article.pk}/change/")
    page.get_by_role("link", name="Make a quiz from this article").click()
    expect(page.locator("#id_title")).to_have_value("Quiz: When does therapy end?")
    page.locator("#id_title").fill("")
    page.locator("#id_title").press_sequentially("Endings quiz")
    questions = [
        ("Who decides when therapy ends?", "The client and therapist together", "Only the therapist"),
        ("What if therapy stops helping?", "Say so and review it together", "Keep quiet and carry on"),
        ("Can an ending be planned?", "Yes, over a few sessions", "No, it just happens"),
    ]
    for n, (prompt, right_choice, wrong_choice) in enumerate(questions):
        page.get_by_text("Add another Question").last.click()
        page.locator(f"#id_questions-{n}-prompt").fill(prompt)
        page.locator(f"#id_questions-{n}-choices-0-text").fill(right_choice)
        page.locator(f"#id_questions-{n}-choices-0-is_correct").check()
        page.locator(f"#id_questions-{n}-choices-1-text").fill(wrong_choice)
        # The section: a search box, by words of the section's question.
        page.locator(f"#questions-{n} .field-section .select2-selection").click()
        page.locator(".select2-search__field").fill(" ".join(prompt.split()[:2]))
        page.locator(".select2-results__option", has_text=f"{prompt} — When does therapy end?").click()
    page.locator("#id_status").select_option("published")
    shoot(page, "4-editor-quiz-on-one-page")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    quiz = Quiz.objects.get(slug="endings-quiz")
    assert [(q.prompt, q.section.question) for q in quiz.questions.all()] == [(p, p) for p, _, _ in questions]
    assert [q.choices.get(is_correct=True).text for q in quiz.questions.all()] == [r for _, r, _ in questions]
    assert Quiz.objects.get(slug="endings-quiz").status == "published"
    page.goto(f"{site}/quizzes/")
    expect(page.get_by_role("link", name="Endings quiz")).to_be_visible()
    shoot(page, "4-editor-quiz-list")


def _focus_is_visible(page):
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return el !== document.body
                && (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                    || style.boxShadow !== 'none');
        }"""
    )


def _tab_until(page, condition, what, limit=60):
    """Press Tab until `condition` (JavaScript about `el`, the focused element) holds; focus
    must be visible at every stop on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert _focus_is_visible(page), page.evaluate("document.activeElement.outerHTML")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {condition}; }}"):
            return
    raise AssertionError(f"{what} not reached with Tab")


def _tab_to(page, name):
    _tab_until(page, f"(el.innerText || el.value || '').trim() === {json.dumps(name)}", name)


def test_an_editor_cites_two_sources_and_readers_see_numbered_notes(page, site, logged_in_editor, shoot):
    """An unknown marker is refused in words next to the answer, with the text kept; once
    corrected, the page shows the notes and the list of sources, each linking out."""
    page.goto(f"{site}/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("Friends online")
    page.locator("#id_summary").fill("Social media and your therapist.")
    page.locator("#id_sections-0-question").fill("Can a therapist be my friend on Facebook?")
    cited = (
        "Not while you are their client[^aca-2014:A.5.e]. Nor any harmful second relationship[^apa-2017:3.05]"
    )
    page.locator("#id_sections-0-answer").fill(cited + ", see [^apa-2071:3.06].")
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("“apa-2071”, which is not a known source")).to_be_visible()
    expect(page.locator("#id_sections-0-answer")).to_have_value(cited + ", see [^apa-2071:3.06].")
    shoot(page, "editor-unknown-source")
    page.locator("#id_sections-0-answer").fill(cited + ".")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    page.goto(f"{site}/articles/friends-online/")
    expect(page.locator(".answer sup a")).to_have_text(["[1]", "[2]"])
    notes = page.locator(".sources li")
    expect(notes).to_have_count(2)
    expect(notes.nth(0)).to_contain_text(
        "American Counseling Association, ACA Code of Ethics (2014), standard A.5.e."
    )
    expect(notes.nth(1).get_by_role("link")).to_have_attribute("href", "https://www.apa.org/ethics/code")
    page.locator(".answer sup a").nth(1).click()
    expect(notes.nth(1)).to_be_in_viewport()
    shoot(page, "article-with-sources")


def test_the_quiz_works_with_the_keyboard_only_and_focus_always_shows(page, site, shoot):
    page.goto(f"{site}/quizzes/{QUIZ}/")
    _tab_to(page, "Start the quiz")
    page.keyboard.press("Enter")
    expect(page.locator(".quiz-progress-label")).to_have_text("Question 1 of 8")
    for n in range(1, 9):
        expect(page.locator(".quiz-progress-label")).to_have_text(f"Question {n} of 8")
        _tab_until(page, "el.name === 'answer'", "the first choice")
        kind = page.locator("input[name=answer]").first.get_attribute("type")
        if kind == "radio":
            page.keyboard.press("ArrowDown")  # moves to and selects the next choice
        else:
            page.keyboard.press("Space")
        _tab_to(page, "Save and continue")
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    _tab_to(page, "Finish and see my results")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    shoot(page, "5-keyboard-results")


def test_the_quiz_works_with_javascript_turned_off(browser, site, shoot):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/quizzes/{QUIZ}/")
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".error-message")).to_contain_text("Choose an answer.")
    for _ in range(8):
        answer_current_question(page)
    page.get_by_role("button", name="Finish and see my results").click()
    expect(page.locator(".result-score")).to_contain_text("of 8")
    shoot(page, "6-no-javascript-results")
    context.close()


def test_the_header_fits_on_one_line_at_1280_px(page, site, reader_with_a_long_name):
    """Logged out and logged in (with a long username), every part of the header sits on one row."""

    def rows():
        page.set_viewport_size({"width": 1280, "height": 800})
        boxes = [
            page.locator(sel).first.bounding_box()
            for sel in (".site-name", ".site-nav", ".site-search", ".account-links")
        ]
        middles = [box["y"] + box["height"] / 2 for box in boxes]
        return max(middles) - min(middles)

    page.goto(site)
    assert rows() < 12
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(reader_with_a_long_name.username)
    page.get_by_label("Password").fill("a-long-reader-password")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    assert rows() < 12


@pytest.fixture
def reader_with_a_long_name(transactional_db):
    return get_user_model().objects.create_user("maximiliana-fitzgerald", password="a-long-reader-password")


def test_on_a_phone_an_article_starts_on_the_first_screen_and_its_parts_are_light(page, site, shoot):
    """375 px wide: the contents fold into one line that opens, within the first screen of even
    a small phone (667 px), and the first answer starts within the first screen of a usual one
    (812 px); "Was this helpful?" buttons are 44 px targets; "Back to top" comes once, at the end."""
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(f"{site}/articles/are-therapists-allowed-to-cry/")
    contents = page.locator("details.toc-folded summary")
    box = contents.bounding_box()
    assert box["y"] + box["height"] <= 667, box
    assert page.locator(".answer").first.bounding_box()["y"] < 812 - 40  # a line of it at least
    expect(page.locator("nav.toc-full")).to_be_hidden()
    contents.click()
    page.get_by_role("navigation", name="On this page").get_by_role("link").nth(2).click()
    expect(page).to_have_url(re.compile(r"#when-can-a-therapists-tears-help$"))
    expect(page.locator("#when-can-a-therapists-tears-help")).to_be_in_viewport()
    for button in page.locator(".feedback-button").all()[:4]:
        size = button.bounding_box()
        assert size["width"] >= 44 and size["height"] >= 44, size
    visible_back_links = [link for link in page.locator(".back-to-top").all() if link.is_visible()]
    assert len(visible_back_links) == 1
    shoot(page, "1-reader-article-on-a-phone")


HEADING_SIZES = """() => {
  const probe = document.createElement("div");
  document.body.append(probe);
  const sizes = {};
  for (const name of ["xl", "l", "m", "s"]) {
    probe.style.fontSize = `var(--heading-${name})`;
    sizes[name] = getComputedStyle(probe).fontSize;
  }
  probe.remove();
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .filter((h) => h.offsetParent !== null)
    .map((h) => ({text: h.textContent.trim().slice(0, 40), size: getComputedStyle(h).fontSize,
                  weight: getComputedStyle(h).fontWeight}));
  return {sizes, headings};
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_headings_use_one_scale_of_four_sizes_in_one_weight(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    seen = set()
    for path in [
        "/",
        "/articles/are-therapists-allowed-to-cry/",
        "/search/?q=gift",
        "/search/?q=qwertyuiop",
        "/topics/",
        f"/quizzes/{QUIZ}/",
        "/accounts/signup/",
        "/no/such/page/",
    ]:
        page.goto(site + path)
        found = page.evaluate(HEADING_SIZES)
        scale = {size: name for name, size in found["sizes"].items()}
        assert len(scale) == 4, found["sizes"]  # four different sizes
        for heading in found["headings"]:
            assert heading["weight"] == "700", (path, heading)
            assert heading["size"] in scale, (path, heading, found["sizes"])
            seen.add(scale[heading["size"]])
    assert {"xl", "l", "m"} <= seen


def test_on_a_wide_screen_the_contents_stay_beside_the_answers(page, site):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{site}/articles/are-therapists-allowed-to-cry/")
    contents = page.get_by_role("navigation", name="On this page")
    contents.get_by_role("link", name="What are red flags in a therapist?").click()
    expect(page.locator("#what-are-red-flags-in-a-therapist")).to_be_in_viewport()
    # Far down the article, the contents are still on the screen, to the right of the text.
    expect(contents).to_be_in_viewport()
    answer = page.locator(".answer").first.bounding_box()
    assert contents.bounding_box()["x"] >= answer["x"] + answer["width"]
    # A narrower window has them above the text, as before.
    page.set_viewport_size({"width": 1000, "height": 800})
    page.goto(f"{site}/articles/are-therapists-allowed-to-cry/#what-are-red-flags-in-a-therapist")
    expect(page.get_by_role("navigation", name="On this page")).not_to_be_in_viewport()


def test_a_reader_learns_as_they_go_in_a_learning_quiz(page, site, shoot):
    """The demo's learning quiz: after each answer, whether it was right and why, with the
    section to read; the answer can't be changed after; the last result leads to the results."""
    page.goto(f"{site}/quizzes/psychologist-psychiatrist-or-therapist/")
    expect(page.get_by_text("A learning quiz:")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()
    answer_current_question(page)
    feedback = page.locator(".answer-feedback")
    expect(feedback.locator(".result-mark")).to_have_text(re.compile(r"Right|Not quite|Partly right"))
    expect(feedback.locator(".read-more a")).to_be_visible()
    shoot(page, "6-learning-feedback")
    page.go_back()  # the question again: it leads back to the result, the answer is final
    page.reload()
    expect(page.locator(".answer-feedback")).to_be_visible()
    while page.get_by_role("link", name="Next question").count():
        page.get_by_role("link", name="Next question").click()
        answer_current_question(page)
    page.get_by_role("button", name="See my results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    shoot(page, "6-learning-results")


def test_a_reader_practises_the_questions_they_got_wrong(page, site, shoot):
    """Spaced review: a signed-up reader's mistakes come back on My progress; a day later (the
    cards are moved to today here) they practise them, with each result shown at once."""
    from django.utils import timezone

    from quizzes.models import ReviewCard
    from tests.browser.test_accessibility import violations  # it imports this module

    page.goto(site)
    sign_up(page, "pat")
    page.goto(f"{site}/quizzes/{QUIZ}/")
    page.get_by_role("button", name="Start the quiz").click()
    for _ in range(8):
        answer_current_question_wrongly(page)
    page.get_by_role("button", name="Finish and see my results").click()
    wrong = ReviewCard.objects.count()
    assert wrong == 8
    ReviewCard.objects.update(due_on=timezone.localdate())
    page.goto(f"{site}/progress/")
    expect(page.locator("#practice-heading").locator("xpath=..")).to_contain_text(f"{wrong} question")
    shoot(page, "7-progress-practice-due")
    page.get_by_role("link", name=re.compile("Practise")).click()
    expect(page.locator(".quiz-progress-label")).to_have_text(
        re.compile(rf"Practice: {wrong} questions? due today")
    )
    shoot(page, "7-practice-question")
    assert violations(page) == []
    page.locator("input[name=answer]").first.check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator(".answer-feedback .result-mark")).to_be_visible()
    expect(page.get_by_text(re.compile("It comes back (in 3 days|tomorrow)"))).to_be_visible()
    shoot(page, "7-practice-result")
    assert violations(page) == []


def test_a_timed_quiz_counts_down_where_javascript_runs(page, site):
    Quiz.objects.filter(slug=QUIZ).update(time_limit=10)
    page.goto(f"{site}/quizzes/{QUIZ}/")
    expect(page.get_by_text("Time limit: 10 minutes")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()
    live = page.locator(".time-left-live")
    expect(live).to_have_text(re.compile(r"^9:5\d left$"))
    first = live.text_content()
    expect(live).not_to_have_text(first)  # it moves
