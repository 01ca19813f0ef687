import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.citations import note_id
from articles.demo import ARTICLES, DEMO_DIR
from articles.importer import parse
from articles.models import Article, Section, Topic
from articles.services import articles_changed
from quizzes.models import Choice, Question, Quiz

TOPICS = 20
QUIZ_EVERY = 10  # one quiz for every this many articles
BATCH = 1000


class Command(BaseCommand):
    help = (
        "Scale tests: add N published articles with realistic sections (the demo articles' questions "
        "and answers, mixed), spread over generated topics, with a quiz for every tenth article. "
        "Development only (refused with debug off unless --force)."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many articles to add.")
        parser.add_argument("--sections", type=int, default=10, help="Sections per article (10).")
        parser.add_argument("--force", action="store_true", help="Run even with DJANGO_DEBUG off.")

    def handle(self, *args, count, sections, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "generate_articles adds published articles of generated text: it runs with DJANGO_DEBUG "
                "on, or with --force if this database is really for scale tests."
            )
        if count < 1 or sections < 1:
            raise CommandError("COUNT and --sections must be at least 1.")
        with transaction.atomic():
            first, quizzes = generate(count, sections)
        self.stdout.write(
            f"Added {count} published articles (generated-{first} to generated-{first + count - 1}), "
            f"{count * sections} sections and {quizzes} quizzes."
        )


POOL_ANCHOR = "pool"


def _pool():
    """(question, answer, rendered section) from the demo articles, rendered once each."""
    pool = []
    for filename, _summary, _topics in ARTICLES:
        for parsed in parse((DEMO_DIR / filename).read_text(encoding="utf-8"), format="markdown").sections:
            section = Section(question=parsed.question, answer=parsed.answer, anchor=POOL_ANCHOR)
            section.render_answer()
            pool.append(section)
    return pool


def generate(count, sections):
    """Add `count` articles; returns the number of the first one, and how many quizzes were added."""
    rng = random.Random(count)  # noqa: S311 - repeatable test data, not secrets
    pool = _pool()
    topics = [
        Topic.objects.get_or_create(slug=f"generated-topic-{n}", defaults={"name": f"Generated topic {n}"})[0]
        for n in range(1, TOPICS + 1)
    ]
    first = Article.objects.filter(slug__startswith="generated-").count() + 1
    now = timezone.now()
    articles = Article.objects.bulk_create(
        (
            Article(
                title=f"Generated article {n}: {rng.choice(pool).question}",
                slug=f"generated-{n}",
                summary="A generated article for scale tests, made of the demo articles' questions.",
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=n),
            )
            for n in range(first, first + count)
        ),
        batch_size=BATCH,
    )
    # Two topics each, in turn, so every topic grows with the number of articles.
    through = Article.topics.through
    through.objects.bulk_create(
        (
            through(article_id=article.pk, topic_id=topics[(n + shift) % TOPICS].pk)
            for n, article in enumerate(articles)
            for shift in (0, TOPICS // 2)
        ),
        batch_size=BATCH,
    )
    rows = []
    for article in articles:
        for position, source in enumerate(rng.sample(pool, min(sections, len(pool))), start=1):
            rows.append(_copy(source, article, position, source.question))
        for position in range(len(pool) + 1, sections + 1):  # more sections than the pool has
            source = rng.choice(pool)
            rows.append(_copy(source, article, position, f"{source.question} (part {position})"))
    Section.objects.bulk_create(rows, batch_size=BATCH)
    # bulk_create skips the models' save(), which announce what changed: announced here.
    articles_changed(article_ids=[article.pk for article in articles])
    quizzed = articles[::QUIZ_EVERY]
    _quizzes(quizzed, rng)
    return first, len(quizzed)


def _copy(source, article, position, question):
    return Section(
        article=article,
        question=question[:300],
        answer=source.answer,
        # Its notes link within its own answer, by its anchor (citations.note_id).
        answer_html=source.answer_html.replace(note_id(POOL_ANCHOR, ""), note_id(f"q{position}", "")),
        answer_text=source.answer_text,
        citations=source.citations,
        # The source's meaning: a "(part N)" question differs from it by two words.
        meaning=source.meaning,
        meaning_signs=source.meaning_signs,
        search_stems=source.search_stems,
        rendered_with=source.rendered_with,
        position=position,
        anchor=f"q{position}",
    )


def _quizzes(articles, rng):
    for article in articles:
        quiz = Quiz.objects.create(
            title=f"Quiz on {article.title}"[:200], slug=f"quiz-{article.slug}", status=Quiz.Status.PUBLISHED
        )
        quiz.topics.set(article.topics.all())
        for position, section in enumerate(article.sections.all()[:3], start=1):
            question = Question.objects.create(
                quiz=quiz,
                prompt=f"What does the article say about: {section.question}",
                section=section,
                explanation=section.answer_text[:300],
                position=position,
            )
            right = rng.randrange(3)
            Choice.objects.bulk_create(
                Choice(question=question, text=f"Answer {n + 1}", is_correct=n == right, position=n + 1)
                for n in range(3)
            )
