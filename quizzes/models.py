from fractions import Fraction

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article, Section, Topic, next_position
from articles.services import pages_changed

MIN_CHOICES = 2
# More would not make a fairer question, and a quiz's admin page posts every choice's fields.
MAX_CHOICES = 10
# Stated on the quiz page and in the README; credit_for() is the rule.
PARTIAL_CREDIT_RULE = (
    "A question with several answers earns part of its mark: each right choice you tick earns its "
    "share, each wrong choice you tick takes away its share, and no question scores below zero."
)
VULGAR = {(1, 2): "½", (1, 3): "⅓", (2, 3): "⅔", (1, 4): "¼", (3, 4): "¾", (1, 5): "⅕", (2, 5): "⅖"}
VULGAR |= {(3, 5): "⅗", (4, 5): "⅘", (1, 6): "⅙", (5, 6): "⅚", (1, 8): "⅛", (3, 8): "⅜", (5, 8): "⅝"}
VULGAR |= {(7, 8): "⅞"}


def credit_for(correct_ids, choice_ids, chosen_ids) -> Fraction:
    """The part of a question's mark that `chosen_ids` earn (PARTIAL_CREDIT_RULE, Moodle's): each
    right choice ticked earns 1 / (right choices), each wrong one ticked takes away
    1 / (wrong choices), never below 0. A one-answer question is 1 or 0 by the same rule."""
    right, chosen = set(correct_ids), set(chosen_ids)
    wrong = set(choice_ids) - right
    earned = Fraction(len(chosen & right), len(right)) if right else Fraction(0)
    lost = Fraction(len(chosen & wrong), len(wrong)) if wrong else Fraction(0)
    return max(Fraction(0), earned - lost)


def marks_text(marks: Fraction) -> str:
    """Marks as a reader writes them: 2, ½, 2½, 1 3/7."""
    whole, part = divmod(Fraction(marks), 1)
    if not part:
        return str(whole)
    vulgar = VULGAR.get((part.numerator, part.denominator))
    if vulgar:
        return f"{whole or ''}{vulgar}"
    return f"{whole} {part}" if whole else str(part)


NO_QUESTIONS = (
    "A quiz with no questions can't be published. Save it as a draft, add its questions, then publish it."
)


class QuizQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Quiz.Status.PUBLISHED)

    def with_question_count(self):
        return self.annotate(
            question_count=Count("questions", filter=Q(questions__is_archived=False), distinct=True)
        )

    def empty(self):
        """Quizzes with no question to ask (none, or all archived)."""
        return self.exclude(questions__is_archived=False)

    def testing_article(self, article):
        """Published quizzes with a question that links to one of `article`'s sections."""
        return (
            self.published()
            .filter(questions__section__article=article, questions__is_archived=False)
            .distinct()
            .order_by("title")
        )


class Pace(models.TextChoices):
    """How a quiz goes: a learning quiz shows whether each answer was right as soon as it is given
    (the answer is then final); a test shows it all on the results page."""

    LEARNING = "learning", "Learning: after each answer (the answer is then final)"
    TEST = "test", "Test: on the results page"


class Quiz(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The end of the quiz's address.")
    description = models.TextField(blank=True, help_text="Markdown. Shown on the quiz's page.")
    topics = models.ManyToManyField(Topic, related_name="quizzes", blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        "pass mark (%)",
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The share of questions a reader must get right to pass, in percent.",
    )
    shuffle_questions = models.BooleanField(
        default=False, help_text="Ask the questions in a new random order in each attempt."
    )
    pace = models.CharField(
        "kind of quiz",
        max_length=10,
        choices=Pace,
        default=Pace.TEST,
        help_text="Learning: right or not, the right answer and the explanation after each answer. "
        "Test: all of that on the results page only.",
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Ask this many of the quiz's questions in each attempt, drawn at random. "
        "Empty: ask them all.",
    )
    max_attempts = models.PositiveSmallIntegerField(
        "attempts allowed",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many times a reader may take the quiz (reviews of mistakes don't count). "
        "Empty: no limit.",
    )
    time_limit = models.PositiveSmallIntegerField(
        "time limit (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Answers saved after this many minutes from the start don't count. Empty: no limit.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    source_article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="made from article",
        help_text="The section picker offers this article's sections first.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="quiz_pass_mark_is_a_percentage"
            ),
        ]

    def __str__(self):
        return self.title

    # Its pages, the lists and its articles' "Test yourself" links show it: announced with it.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        pages_changed()

    def get_absolute_url(self):
        return reverse("quizzes:quiz_detail", args=[self.slug])

    @property
    def is_learning(self):
        return self.pace == Pace.LEARNING

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        pages_changed()
        return deleted

    def active_questions(self):
        return self.questions.filter(is_archived=False)

    def asked_count(self):
        """How many questions an attempt asks: all of `question_count`
        (QuizQuerySet.with_question_count), or the pool's draw."""
        return min(self.question_count, self.questions_per_attempt or self.question_count)

    def minutes(self):
        """About how long an attempt takes: 40 seconds a question, 75 in a learning quiz (its
        feedback is read after each answer); never more than the time limit."""
        seconds = self.asked_count() * (75 if self.is_learning else 40)
        return min(max(1, -(-seconds // 60)), self.time_limit or 1_000)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "One answer"
        MULTIPLE = "multiple", "Several answers"
        TRUE_FALSE = "true_false", "True or false"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    prompt = models.CharField(max_length=500)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.SINGLE)
    explanation = models.TextField(
        blank=True, help_text="Markdown. Shown with the results: why the right answer is right."
    )
    # By id, so the link survives a renamed article or reworded question. PROTECT: deleting a
    # section that questions test is refused, with the list of those questions.
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quiz_questions",
        help_text="The article section that explains the answer. The results link to it.",
    )
    position = models.PositiveIntegerField(default=0, blank=True)
    keep_order = models.BooleanField(
        "keep the choices in this order",
        default=False,
        help_text="Choices are shuffled for each attempt unless this is ticked: tick it for "
        "“All of the above” or a scale.",
    )
    is_archived = models.BooleanField(
        "archived",
        default=False,
        help_text="Archived questions are no longer asked. Past results keep them.",
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return Truncator(self.prompt).chars(100)

    def save(self, *args, **kwargs):
        if not self.position:
            self.position = next_position(self.quiz.questions.exclude(pk=self.pk))
        super().save(*args, **kwargs)
        pages_changed()

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        pages_changed()
        return deleted

    @staticmethod
    def choice_problems(kind, choices):
        """What is wrong with a question of `kind` having `choices` (pairs of text and
        correctness), in plain words; an empty list when nothing is."""
        correct = sum(1 for _, is_correct in choices if is_correct)
        if len(choices) < MIN_CHOICES:
            return [f"A question needs at least {MIN_CHOICES} choices; this one has {len(choices)}."]
        if len(choices) > MAX_CHOICES:
            return [f"A question can have at most {MAX_CHOICES} choices; this one has {len(choices)}."]
        if kind == Question.Kind.TRUE_FALSE and len(choices) != 2:
            return ["A true-or-false question has exactly two choices (True and False)."]
        if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE) and correct != 1:
            label = Question.Kind(kind).label.lower()
            return [f"A question with “{label}” needs exactly one correct choice; this one has {correct}."]
        if kind == Question.Kind.MULTIPLE and correct == 0:
            return ["A question with several answers needs at least one correct choice."]
        return []

    @property
    def choices_shuffled(self):
        """Whether readers are asked the choices in an order of their own: not when the editor
        keeps them in order ("All of the above", a scale), nor for true or false (True, then
        False)."""
        return not self.keep_order and self.kind != Question.Kind.TRUE_FALSE

    def as_asked(self, *, shuffle=None):
        """The question as an attempt (or practice) will ask it: copied, so later edits never
        change the attempt's questions, choices or grades. With `shuffle` (a random.Random), the
        choices are in an order of their own if `choices_shuffled`; the order is in the copy, so
        the reader sees it again on coming back, and the results show the choices as the reader
        saw them. Uses prefetched choices if there are any."""
        choices = [
            {"id": c.pk, "text": c.text, "correct": c.is_correct, "note": c.note} for c in self.choices.all()
        ]
        if shuffle is not None and self.choices_shuffled:
            shuffle.shuffle(choices)
        return {
            "prompt": self.prompt,
            "kind": self.kind,
            "explanation": self.explanation,
            "section_id": self.section_id,
            "choices": choices,
        }


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=300)
    is_correct = models.BooleanField("correct", default=False)
    position = models.PositiveIntegerField(default=0, blank=True)
    note = models.TextField(
        blank=True, help_text="Why this choice is right or wrong. Shown with the results."
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        if not self.position:
            self.position = next_position(self.question.choices.exclude(pk=self.pk))
        super().save(*args, **kwargs)


class AttemptQuerySet(models.QuerySet):
    def for_reader(self, reader):
        """The attempts of `reader` (articles.visitors.Reader): a signed-in reader's, or those of a
        visitor's session (by its key); none for a reader the site doesn't know yet."""
        return reader.filter(self)

    def open(self):
        return self.filter(status=Attempt.Status.OPEN)

    def finished(self):
        return self.filter(status=Attempt.Status.FINISHED)

    def counted_against_the_limit(self):
        """The attempts a quiz's limit of attempts counts: whole-quiz ones, whatever became of
        them (set aside by joining on log-in too: each showed its questions), not reviews of
        mistakes. Attempt.counts_against_the_limit says the same of one attempt."""
        return self.filter(mode=Attempt.Mode.FULL)

    def certified(self):
        """Attempts with a certificate (quizzes/certificates.py): a signed-in reader's passed
        whole-quiz attempts, withdrawn ones included (their page says so)."""
        return self.finished().filter(passed=True, mode=Attempt.Mode.FULL, user__isnull=False)


class Attempt(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        FINISHED = "finished", "Finished"
        SET_ASIDE = "set_aside", "Set aside"

    class Mode(models.TextChoices):
        FULL = "full", "Whole quiz"
        REVIEW = "review", "Review of mistakes"

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quiz_attempts",
    )
    # A visitor without an account: the random key kept in their session.
    visitor_key = models.CharField(max_length=64, blank=True, db_index=True)
    mode = models.CharField(max_length=10, choices=Mode, default=Mode.FULL)
    pace = models.CharField(
        max_length=10, choices=Pace, default=Pace.TEST, help_text="The quiz's, when it started."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    started_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="The end of its time limit: answers after it don't count."
    )
    total = models.PositiveIntegerField(help_text="The number of questions asked.")
    pass_mark = models.PositiveSmallIntegerField(help_text="The quiz's pass mark when it started.")
    score = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Marks: 1 for each question answered right, part of 1 for part of a several-answer one.",
    )
    passed = models.BooleanField(null=True, blank=True)
    certificate_withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="Set by staff: the certificate's page says it was withdrawn."
    )

    objects = AttemptQuerySet.as_manager()
    # Set by the attempt services on the attempt they scored because its time was up.
    scored_just_now = False

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(status="open", user__isnull=False),
                name="one_open_attempt_per_reader_and_quiz",
            ),
            models.UniqueConstraint(
                fields=["visitor_key", "quiz"],
                condition=Q(status="open", user__isnull=True),
                name="one_open_attempt_per_visitor_and_quiz",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(visitor_key=""),
                name="attempt_has_an_owner",
            ),
            models.CheckConstraint(
                condition=~Q(status="finished") | Q(score__isnull=False, finished_at__isnull=False),
                name="finished_attempt_has_a_score",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=models.F("total")),
                name="attempt_score_is_between_zero_and_total",
            ),
        ]

    def __str__(self):
        return f"{self.quiz} ({self.get_status_display().lower()}, {self.started_at:%Y-%m-%d})"

    def get_absolute_url(self):
        if self.status == self.Status.FINISHED:
            return reverse("quizzes:attempt_results", args=[self.pk])
        if self.status == self.Status.OPEN:
            return reverse("quizzes:attempt_resume", args=[self.pk])
        # Set aside: its answers went into the reader's other attempt at the quiz.
        return self.quiz.get_absolute_url()

    @property
    def percent(self):
        if self.score is None or not self.total:
            return None
        return round(100 * self.score / self.total)

    @property
    def counts_against_the_limit(self):
        """AttemptQuerySet.counted_against_the_limit, for one attempt."""
        return self.mode == self.Mode.FULL

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def is_over(self, now=None):
        """Open, but its time is up: it is scored on what was saved by then (attempt_time_up)."""
        return self.is_open and self.ends_at is not None and (now or timezone.now()) >= self.ends_at

    @property
    def is_finished(self):
        return self.status == self.Status.FINISHED

    @property
    def takes_answers(self):
        """Open and within its time: the only state in which answers are saved (answer_save)."""
        return self.is_open and not self.is_over()

    @property
    def ran_out_of_time(self):
        """Finished because its time limit passed (attempt_finish scores it as of its end)."""
        return self.is_finished and self.ends_at is not None and self.finished_at >= self.ends_at

    @property
    def is_learning(self):
        return self.pace == Pace.LEARNING


class AttemptItemQuerySet(models.QuerySet):
    def of_readers_attempt(self, attempt_pk, reader):
        """The items of the attempt `attempt_pk` if it is `reader`'s (whose attempts
        Attempt.objects.for_reader gives), else none."""
        # attempt__id, not attempt_id: the attempt's own field answers "none" to an id too large
        # for the database instead of raising.
        return reader.filter(self.filter(attempt__id=attempt_pk), prefix="attempt__")

    def with_asked_at(self, position):
        """The items with the question as asked (`asked`, JSON) read for the one at `position`
        only: a page about one question needs the others' positions and answers, not their
        texts (constant work however long the questions and notes are). The others' `asked` is
        read if asked for (one query each)."""
        queryset = self.defer("asked").annotate(
            asked_here=models.Case(
                models.When(position=position, then=models.F("asked")), output_field=models.JSONField()
            )
        )
        queryset._iterable_class = _AskedHereIterable
        return queryset

    def mistakes(self):
        """The mistakes, the one definition: questions answered, but not wholly right (wrong, or
        only partly right). A question left unanswered (an attempt whose time ran out) is not a
        mistake. AttemptItem.is_mistake says the same of one item; results, reviews of mistakes
        and practice all ask one or the other."""
        return self.filter(IS_MISTAKE)


class _AskedHereIterable(models.query.ModelIterable):
    """Items read by AttemptItemQuerySet.with_asked_at: the one item whose question was read has
    it as its `asked`."""

    def __iter__(self):
        for item in super().__iter__():
            if item.asked_here is not None:
                item.asked = item.asked_here
            yield item


class Outcome(models.TextChoices):
    """What an answer got (AttemptItem.outcome)."""

    RIGHT = "right", "Right"
    PARTLY = "partly", "Partly right"
    WRONG = "wrong", "Not quite"
    UNANSWERED = "unanswered", "Not answered"


MISTAKES = frozenset({Outcome.WRONG, Outcome.PARTLY})
# AttemptItemQuerySet.mistakes as a condition, for counting them in an aggregate.
IS_MISTAKE = Q(answered_at__isnull=False, is_correct=False)


class AttemptItem(models.Model):
    """An item of an attempt: one question as the attempt asks it (`asked`, a copy fixed when the
    attempt starts), and the reader's answer to it. Grading happens here and only here."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    # PROTECT: a question that readers have been asked can't be deleted (archive it instead).
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempt_items")
    position = models.PositiveIntegerField()
    asked = models.JSONField(help_text="The prompt, choices and explanation when the attempt started.")
    chosen = models.JSONField(null=True, blank=True, help_text="The ids of the chosen choices.")
    is_correct = models.BooleanField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptItemQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [
            # One saved answer per attempt and question: a replayed or double-clicked answer
            # updates this row, it never adds one.
            models.UniqueConstraint(
                fields=["attempt", "question"], name="one_answer_per_attempt_and_question"
            ),
            models.UniqueConstraint(fields=["attempt", "position"], name="one_question_per_position"),
        ]

    def __str__(self):
        return f"{self.attempt_id} #{self.position}: {self.prompt}"

    @property
    def prompt(self):
        return self.asked["prompt"]

    @property
    def kind(self):
        return self.asked["kind"]

    @property
    def is_answered(self):
        return self.answered_at is not None

    @property
    def choice_ids(self):
        return {c["id"] for c in self.asked["choices"]}

    @property
    def correct_ids(self):
        """The ids of the choices that make up the right answer."""
        return {c["id"] for c in self.asked["choices"] if c["correct"]}

    def grade(self, chosen_ids):
        """True when exactly the correct choices were chosen: a several-answers question is wrong
        with one correct choice missing or one extra (it may still earn part marks: credit)."""
        return set(chosen_ids) == self.correct_ids

    @property
    def credit(self) -> Fraction:
        """The part of this question's mark the saved answer earns: credit_for a question with
        several answers; 1 or 0 for the others."""
        if self.kind != Question.Kind.MULTIPLE:
            return Fraction(int(bool(self.chosen) and self.grade(self.chosen)))
        return credit_for(self.correct_ids, self.choice_ids, self.chosen or [])

    @property
    def outcome(self) -> Outcome:
        """Right, partly right, wrong or unanswered: what every page that shows an answer says."""
        if self.answered_at is None:
            return Outcome.UNANSWERED
        credit = self.credit
        return Outcome.RIGHT if credit == 1 else Outcome.PARTLY if credit else Outcome.WRONG

    @property
    def is_mistake(self):
        """AttemptItemQuerySet.mistakes, for one item."""
        return self.outcome in MISTAKES

    @property
    def is_final(self):
        """In a learning quiz an answer is final once given: its feedback showed the right one.
        (answer_save keeps to it in SQL too, for two tabs answering at once.)"""
        return self.is_answered and self.attempt.is_learning

    @property
    def credit_text(self):
        return marks_text(self.credit)

    @property
    def found(self):
        """How many of the right choices the answer ticked."""
        return len(set(self.chosen or []) & self.correct_ids)

    @property
    def chosen_texts(self):
        """The texts of the choices the answer ticked, in the order the reader saw them."""
        chosen = set(self.chosen or [])
        return [c["text"] for c in self.asked["choices"] if c["id"] in chosen]

    @property
    def wrong_ticked(self):
        return len(set(self.chosen or []) - self.correct_ids)

    def choices_for_form(self):
        """Choice ids and texts only: nothing that tells which is correct."""
        return [(c["id"], c["text"]) for c in self.asked["choices"]]

    def review(self):
        """Each choice with whether it was chosen and is correct: for the results page only."""
        chosen = set(self.chosen or [])
        return [{**c, "chosen": c["id"] in chosen} for c in self.asked["choices"]]


# Spaced review (Leitner boxes): a question a reader got wrong comes back after these many days
# in boxes 1 to 4; a right answer moves it up a box, a wrong one back to box 1; right in box 4,
# it is learned and stops coming back.
LEITNER_DAYS = (1, 3, 7, 21)
LEARNED = len(LEITNER_DAYS) + 1


class ReviewCardQuerySet(models.QuerySet):
    def due(self, user, today):
        """The reader's questions due for practice on `today` (or earlier, missed), oldest first;
        not those the editors archived or whose quiz is no longer published."""
        return self.filter(
            user=user,
            box__lt=LEARNED,
            due_on__lte=today,
            question__is_archived=False,
            question__quiz__status=Quiz.Status.PUBLISHED,
        ).order_by("due_on", "pk")


class ReviewCard(models.Model):
    """A question that comes back for a signed-in reader's practice, with its Leitner box, when it
    is next due, and the last practice answer (for its result page)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_cards")
    box = models.PositiveSmallIntegerField(default=1)
    due_on = models.DateField()
    reviews = models.PositiveIntegerField(default=0, help_text="Practice answers given.")
    last_chosen = models.JSONField(null=True, blank=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewCardQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="one_review_card_per_reader_and_question"
            ),
            models.CheckConstraint(
                condition=Q(box__gte=1, box__lte=LEARNED), name="review_card_box_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.question} (box {self.box}, due {self.due_on})"
