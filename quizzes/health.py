"""Content health: the article sections readers struggle with, "rewrite first" at the top.

Ranking (RANKING, shown on the page too): a section's score is its share of wrong quiz answers plus
its share of "not helpful" votes, each share taken out of at least 10 answers or votes, plus 25
points when its article's review is overdue. "Out of at least 10" keeps small samples from ruling:
1 wrong answer out of 1 counts as 10%, 10 wrong out of 20 as 50%.

The answers that count are answered questions of finished whole-quiz attempts ("Review my mistakes"
asks only what went wrong before, so it would tip the share); a wrong answer is one not wholly right
(a partly right one is wrong). Answers to archived questions don't count: an editor has dealt with
that question already, and its wrong answers may say more about its wording than about the section.
A section is left out when it has nothing to report: no wrong answer, no "not helpful" vote, and no
overdue review.

Reads only, in three queries however many sections, answers and votes there are.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article, HelpfulVote, Section
from quizzes.models import IS_MISTAKE, Attempt, AttemptItem, Question

MIN_SAMPLE = 10
OVERDUE_POINTS = 25
RANKING = (
    f"Score: the share of wrong quiz answers plus the share of “not helpful” votes, each taken out "
    f"of at least {MIN_SAMPLE} (so 1 wrong answer of 1 counts as {100 // MIN_SAMPLE}%), plus "
    f"{OVERDUE_POINTS} when the article's review is overdue."
)


@dataclass
class SectionHealth:
    section: Section  # with its article
    questions: int  # quiz questions testing it, archived ones left out
    answers: int
    wrong: int
    helpful_votes: int
    unhelpful_votes: int
    overdue_days: int | None  # None when the review isn't overdue

    @property
    def votes(self):
        return self.helpful_votes + self.unhelpful_votes

    @property
    def wrong_percent(self):
        return round(100 * self.wrong / self.answers) if self.answers else None

    @property
    def unhelpful_percent(self):
        return round(100 * self.unhelpful_votes / self.votes) if self.votes else None

    @property
    def score(self):
        """The ranking (RANKING): both shares out of at least MIN_SAMPLE, plus the overdue points."""
        points = 100 * self.wrong / max(self.answers, MIN_SAMPLE)
        points += 100 * self.unhelpful_votes / max(self.votes, MIN_SAMPLE)
        return points + (OVERDUE_POINTS if self.overdue_days is not None else 0)


def section_health(today=None):
    """The sections worth looking at (SectionHealth rows), highest score first."""
    today = today or timezone.localdate()
    counted = AttemptItem.objects.filter(
        attempt__status=Attempt.Status.FINISHED,
        attempt__mode=Attempt.Mode.FULL,  # a review asks only what went wrong before
        answered_at__isnull=False,
        question__is_archived=False,
        question__section__isnull=False,
    )
    answers = {
        row["question__section"]: row
        for row in counted.order_by()
        .values("question__section")
        .annotate(answers=Count("pk"), wrong=Count("pk", filter=IS_MISTAKE))
    }
    votes = {
        row["section"]: row
        for row in HelpfulVote.objects.order_by()
        .values("section")
        .annotate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
    }
    overdue = Article.objects.review_overdue(today).filter(pk=OuterRef("article"))
    questions = (
        Question.objects.filter(section=OuterRef("pk"), is_archived=False)
        .order_by()
        .values("section")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sections = (
        Section.objects.select_related("article")
        .only("question", "position", "article__title", "article__review_due")
        .annotate(overdue=Exists(overdue), questions=Coalesce(Subquery(questions), 0))
        .filter(
            Q(pk__in=counted.mistakes().values("question__section"))
            | Q(pk__in=HelpfulVote.objects.filter(helpful=False).values("section"))
            | Q(overdue=True)
        )
    )
    rows = []
    for section in sections:
        answered = answers.get(section.pk, {})
        voted = votes.get(section.pk, {})
        rows.append(
            SectionHealth(
                section=section,
                questions=section.questions,
                answers=answered.get("answers", 0),
                wrong=answered.get("wrong", 0),
                helpful_votes=voted.get("yes", 0),
                unhelpful_votes=voted.get("no", 0),
                overdue_days=(today - section.article.review_due).days if section.overdue else None,
            )
        )
    # Ties: more answers and votes first (surer), then in the articles' own order.
    rows.sort(
        key=lambda row: (
            -row.score,
            -(row.answers + row.votes),
            row.section.article.title,
            row.section.position,
        )
    )
    return rows
