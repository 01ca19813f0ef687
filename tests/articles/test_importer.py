import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.importer import ImportProblem, decode, detect_format, parse
from articles.models import Article, Section
from tests.pages import soup

SAMPLES = Path(__file__).parent / "samples"


def sample(name):
    return (SAMPLES / name).read_text(encoding="utf-8")


def test_plain_text_from_a_web_page():
    parsed = parse(sample("crying.txt"))
    assert parsed.format == "text"
    assert parsed.title == "Are therapists allowed to cry?"  # "Skip to Content", "Menu" dropped
    assert [s.question for s in parsed.sections] == [
        "Are therapists allowed to cry?",  # the title's own answer is kept as the first section
        "What are red flags in a therapist?",
        "What are the do's and don'ts of counseling?",
        "Why do some therapists share stories?",
    ]
    assert parsed.dropped_questions == ["Is this a question nobody answered?"]
    assert parsed.summary.startswith("Yes. No code of ethics forbids it")
    red_flags = parsed.sections[1].answer
    assert red_flags == (
        "Some signs to watch for:\n\n"
        "- Asking you to keep secrets\n- Sexual remarks or contact\n"
        "- Sessions that keep getting longer\n\n"
        "Trust your judgement."
    )
    dos = parsed.sections[2].answer
    assert dos.startswith("Do:\n\n- Listen more than you talk") and "Don't:\n\n- Talk about" in dos
    # A question inside a paragraph is not a new question.
    assert "Is that always good?" in parsed.sections[3].answer


def test_markdown_headings():
    parsed = parse(sample("crying.md"))
    assert parsed.format == "markdown"
    assert parsed.title == "Are therapists allowed to cry?"
    assert [s.question for s in parsed.sections] == [
        "Are therapists allowed to cry?",
        "What are red flags in a therapist?",
        "What are the do's and don'ts of counseling?",
    ]
    assert parsed.dropped_questions == ["An empty question?"]
    assert "### When to act" in parsed.sections[1].answer
    assert "- secrecy\n- sexual remarks" in parsed.sections[1].answer


def test_html_headings_paragraphs_and_lists():
    parsed = parse(sample("crying.html"))
    assert parsed.format == "html"
    assert parsed.title == "Therapist boundaries"
    assert parsed.summary == "Where the lines are."
    assert [s.question for s in parsed.sections] == [
        "What are red flags in a therapist?",
        "Can a therapist hug a client?",
    ]
    assert parsed.sections[0].answer == (
        "Watch for:\n\n- secrecy\n- a [friend request](https://example.org/x)\n\n"
        "### What to do\n\n1. Talk to them\n2. Complain to the board"
    )
    assert parsed.sections[1].answer == "Sometimes, *if you want it*."
    assert "alert" not in str(parsed) and "tracking" not in str(parsed)


def test_format_is_detected_from_extension_then_content():
    assert detect_format("plain", "page.html") == "html"
    assert detect_format("plain", "page.md") == "markdown"
    assert detect_format("<p>Hi</p>") == "html"
    assert detect_format("# Title\n\n## Q?") == "markdown"
    assert detect_format("Title\nQ?\nA.") == "text"


def test_format_option_overrides_detection():
    markdown = sample("crying.md")
    as_text = parse(markdown, format="text")
    assert as_text.format == "text"
    # Read as plain text, the heading marks stay part of the lines.
    assert as_text.title == "# Are therapists allowed to cry?"
    assert as_text.sections[1].question == "## What are red flags in a therapist?"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 questions?\nAnswer.".encode("latin-1"), "not UTF-8"),
    ],
)
def test_decode_refuses_bad_bytes(data, message):
    with pytest.raises(ImportProblem, match=message):
        decode(data)


def test_every_import_reads_its_file_with_the_one_decode():
    """Articles and question banks read files the same way: one `def decode` in the project's
    code (a second would drift, as the GIFT one had: it took an empty file)."""
    project = Path(__file__).resolve().parents[2]
    found = [
        str(path.relative_to(project))
        for app in ["articles", "quizzes", "accounts", "faqsite"]
        for path in (project / app).rglob("*.py")
        if "def decode(" in path.read_text(encoding="utf-8")
    ]
    assert found == ["articles/importer.py"]


def test_a_binary_file_is_named_as_what_it_should_have_been():
    assert decode(b"Title?\nAnswer.") == "Title?\nAnswer."
    with pytest.raises(ImportProblem, match="not a GIFT text file"):
        decode(b"\x00binary", expected="a GIFT text file")


@pytest.mark.django_db
def test_the_lengths_of_titles_questions_and_addresses_are_the_fields_own(monkeypatch):
    """The importer and the slug cut texts to the model fields' max_length, read when used: a
    field made shorter is followed, with no second copy of the number to change."""
    from articles.services import free_slug, slug_for_title

    monkeypatch.setattr(Section._meta.get_field("question"), "max_length", 20)
    monkeypatch.setattr(Article._meta.get_field("title"), "max_length", 12)
    monkeypatch.setattr(Article._meta.get_field("slug"), "max_length", 15)
    with pytest.raises(ImportProblem, match="at most 20"):
        parse("# A title\n\n## Is this question longer than twenty?\n\nYes.", format="markdown")
    parsed = parse("A title longer than twelve\n\nShort one?\n\nYes.", format="text")
    assert parsed.title == "A title long" and parsed.sections[0].question == "Short one?"
    assert slug_for_title("A title much longer than fifteen") == "a-title-much-lo"
    assert len(free_slug("x" * 15)) == 15


def test_no_question_is_an_error():
    with pytest.raises(ImportProblem, match="No question found"):
        parse("A title\nJust a paragraph.\nAnother one.")


# --- the command --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_imports_and_prints_slug_count_and_url(capsys):
    call_command("import_article", str(SAMPLES / "crying.txt"), "--publish")
    out = capsys.readouterr().out
    article = Article.objects.get()
    assert article.is_public and article.sections.count() == 4
    assert "slug: are-therapists-allowed-to-cry" in out
    assert "sections: 4" in out
    assert "/articles/are-therapists-allowed-to-cry/" in out


@pytest.mark.django_db
def test_command_makes_drafts_unless_told_to_publish():
    call_command("import_article", str(SAMPLES / "crying.md"))
    assert Article.objects.get().status == "draft"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"Title?\n\xff\xfe answer", "not UTF-8"),
        (b"A title\nNo questions here.\n", "No question found"),
        # Two headings the same for their first 300 characters, as many as a question can keep.
        (
            b"# A title\n\n## "
            + b"q" * 300
            + b" one?\n\nAnswer.\n\n## "
            + b"q" * 300
            + b" two?\n\nAnswer.\n",
            "at most 300",
        ),
    ],
    ids=["empty", "binary", "latin-1", "no-question", "long-questions"],
)
def test_command_refuses_bad_input_and_writes_nothing(tmp_path, make_article, content, message):
    existing = make_article()
    path = tmp_path / ("bad.md" if content.startswith(b"#") else "bad.txt")
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_article", str(path))
    assert list(Article.objects.all()) == [existing]
    assert Section.objects.filter(article=existing).count() == 3


@pytest.mark.django_db
def test_command_refuses_an_existing_slug_without_replace(make_article):
    existing = make_article(slug="are-therapists-allowed-to-cry", title="Old title")
    with pytest.raises(CommandError, match="already exists; use --replace"):
        call_command("import_article", str(SAMPLES / "crying.txt"))
    existing.refresh_from_db()
    assert existing.title == "Old title" and existing.sections.count() == 3


@pytest.mark.django_db
def test_command_replace_overwrites_sections_and_keeps_the_article(make_article, make_topic):
    topic = make_topic("Ethics")
    existing = make_article(slug="are-therapists-allowed-to-cry", topics=[topic], status="draft")
    call_command("import_article", str(SAMPLES / "crying.txt"), "--replace")
    article = Article.objects.get()
    assert article.pk == existing.pk and list(article.topics.all()) == [topic]
    assert article.sections.count() == 4
    assert article.sections.first().question == "Are therapists allowed to cry?"


def test_command_error_is_one_line_and_a_non_zero_exit(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_article", str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "The file is empty" in result.stderr


@pytest.mark.django_db
def test_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="Can't read"):
        call_command("import_article", "/no/such/file.txt")


# --- round trip ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["crying.txt", "crying.md", "crying.html"])
def test_round_trip_import_render_compare_questions(client, name):
    parsed = parse(sample(name), filename=name)
    call_command("import_article", str(SAMPLES / name), "--publish")
    article = Article.objects.get()
    page = soup(client.get(article.get_absolute_url()))
    rendered = [h2.get_text() for h2 in page.select("section.qa h2")]
    assert rendered == [s.question for s in parsed.sections]
    assert page.h1.get_text() == parsed.title


def test_a_document_with_more_questions_than_an_article_holds_is_refused():
    from articles.models import MAX_SECTIONS

    at_the_bound = "# Title\n\n" + "".join(
        f"## Question {n}?\n\nAnswer {n}.\n\n" for n in range(MAX_SECTIONS)
    )
    assert len(parse(at_the_bound).sections) == MAX_SECTIONS
    over = at_the_bound + "## One more?\n\nAnswer.\n"
    with pytest.raises(
        ImportProblem, match=f"has {MAX_SECTIONS + 1} questions; an article holds at most 200"
    ):
        parse(over)
