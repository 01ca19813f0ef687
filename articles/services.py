"""Writes that touch several models, each in one transaction."""

import functools
import hashlib
import inspect
import secrets
from datetime import timedelta

import reversion
from django.conf import settings
from django.db import IntegrityError, connection, router, transaction
from django.db.models import Count, F, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.text import slugify

from articles.freshness import content_changed
from articles.importer import ImportProblem, ParsedArticle, ParsedSection
from articles.markdown import RENDERER
from articles.models import (
    Article,
    ArticleBody,
    ArticleDraft,
    ArticleRedirect,
    DraftSection,
    HelpfulVote,
    Note,
    Section,
    Source,
    WeeklySearch,
    notes_attach,
    unique_anchor,
)
from articles.templatetags.articles_tags import json_ld
from articles.visitors import Reader

BODY_TEMPLATE = "articles/includes/article_body.html"
HEAD_TEMPLATE = "articles/includes/article_head.html"
VOTE_TEMPLATE = "articles/includes/helpful_vote_form.html"  # included by the body, for each section
SOURCES_TEMPLATE = "articles/includes/sources_list.html"  # included by the body, for each section
SOURCE_TEMPLATE = "articles/includes/source.html"  # included by that, for each note
RENDER_BATCH = 500


@functools.cache
def body_renderer():
    """What makes a stored article body and head: their templates, the answers' renderer, the
    addresses they link to, the site's name and the date format. Bodies made by another are made
    again by `migrate` (signals.py)."""
    parts = [
        get_template(BODY_TEMPLATE).template.source,
        get_template(HEAD_TEMPLATE).template.source,
        get_template(VOTE_TEMPLATE).template.source,
        get_template(SOURCES_TEMPLATE).template.source,
        get_template(SOURCE_TEMPLATE).template.source,
        # The Python the template calls, so that a change to it renders the bodies again too.
        inspect.getsource(Article.as_faq_page),
        inspect.getsource(Article.reading_minutes),
        inspect.getsource(Note),
        inspect.getsource(notes_attach),
        inspect.getsource(json_ld),
        RENDERER,
        reverse("articles:section_vote", args=[0]),
        reverse("articles:topic_detail", args=["x"]),
        settings.LANGUAGE_CODE,
        settings.TIME_ZONE,
        settings.SITE_NAME,
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def article_body(article, *, preview=False, sections=None):
    """The article's own part of its page, from its stored answers (two queries). Stored for
    readers by articles_render_bodies; made at once for previews, which have no vote buttons
    (`sections`: rendered ones not saved, for a draft's preview)."""
    sections = list(article.sections.all()) if sections is None else sections
    notes_attach(sections)
    context = {
        "article": article,
        "topics": list(article.topics.all()),
        "sections": sections,
        "faq_page": article.as_faq_page(sections),
        "reading_minutes": Article.reading_minutes(sections),
        "is_preview": preview,
    }
    return render_to_string(BODY_TEMPLATE, context)


def article_head(article):
    """The article's part of its page's <head>: description and Open Graph (no query)."""
    return render_to_string(HEAD_TEMPLATE, {"article": article, "site_title": settings.SITE_NAME})


def articles_changed(*, article_ids, using=None) -> None:
    """What readers see of these articles changed (the article, its sections, its topics or their
    names): their stored bodies are rendered again and every kept page is out of date. Every
    writer of those rows calls it, after its last write: Article, Section and Topic in their own
    save() and delete(), the services and commands after bulk writes, the admin after it writes
    links or deletes from a list. Called inside a transaction, the pages go again on commit too."""
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), RENDER_BATCH):  # a bounded IN list (generate_articles adds 10,000s)
        articles_render_bodies(
            articles=Article.objects.using(using).filter(pk__in=ids[start : start + RENDER_BATCH])
        )
    pages_changed()


def pages_changed() -> None:
    """Something readers see changed that no article's body shows (a quiz, a search synonym, an
    article deleted): every kept page and fragment is out of date (articles/freshness.py)."""
    content_changed()


def articles_render_bodies(*, articles) -> int:
    """Render and store the given articles' bodies (articles_changed, and `migrate` for bodies
    made by other templates). Returns how many were rendered."""
    count, db = 0, articles.db
    renderer = body_renderer()
    ids = list(articles.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), RENDER_BATCH):
        with transaction.atomic(using=db):
            # Locked before they are read: two editors saving at once (a topic renamed, an answer
            # edited) each render what the other committed, never a body without the other's change.
            batch = (
                Article.objects.using(db).select_for_update().filter(pk__in=ids[start : start + RENDER_BATCH])
            )
            for article in batch.order_by("pk").prefetch_related("sections", "topics"):
                ArticleBody.objects.using(db).update_or_create(
                    article=article,
                    defaults={
                        "html": article_body(article),
                        "head": article_head(article),
                        "rendered_with": renderer,
                    },
                )
                count += 1
    return count


def slug_for_title(title):
    return slugify(title)[: Article._meta.get_field("slug").max_length].strip("-") or "article"


def free_slug(slug):
    """The first address free for a new article made from `slug`: itself, else "<slug>-2", "-3"..."""
    max_length = Article._meta.get_field("slug").max_length
    base = slug[: max_length - 10]  # room for the longest suffix
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, n = slug, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate, n = f"{slug[: max_length - len(suffix)].rstrip('-')}{suffix}", n + 1
    return candidate


class SlugTaken(ImportProblem):
    """An article has the address a new import asked for."""


class PublishNeeded(ImportProblem):
    """Replacing a published article shows the new text to readers at once: only an import that
    says it publishes may do it. Each caller adds how to say so (a tick, --publish)."""


# What a refusal to remove a protected section advises, by where the new sections come from.
IMPORT_ADVICE = "keep that question in the document, or save as a new draft"
DRAFT_ADVICE = "keep that question in the draft, word for word"


def replace_problems(*, article, parsed: ParsedArticle, advice=IMPORT_ADVICE) -> list[str]:
    """Why `parsed` can't replace `article`'s sections, one plain sentence a reason (none: it can).
    A section whose question is not in the document would be removed; other rows (quiz questions)
    may protect it. The review page, article_import and article_draft_publish all ask this, so they
    can't disagree."""
    wanted = {parsed_section.question for parsed_section in parsed.sections}
    return [
        _protected_message(section, protecting, advice)
        for section in article.sections.all()
        if section.question not in wanted and (protecting := _protecting(section))
    ]


def sections_replace_removes(*, article, parsed: ParsedArticle):
    """The sections of `article` that replacing it with `parsed` removes (their question is not in
    the document word for word), each with `votes`: the readers' "Was this helpful?" votes that go
    with it."""
    wanted = {parsed_section.question for parsed_section in parsed.sections}
    return [
        section
        for section in article.sections.annotate(votes=Count("helpful_votes")).order_by("position")
        if section.question not in wanted
    ]


def _protecting(section):
    """The rows that stop `section` from being deleted (on_delete PROTECT or RESTRICT), as Django's
    deletion would find them."""
    collector = Collector(using=section._state.db or router.db_for_write(Section))
    try:
        collector.collect([section])
    except (ProtectedError, RestrictedError) as error:
        return _rows(error)
    return []


def _rows(error):
    """The rows named by a ProtectedError or RestrictedError, in a steady order."""
    rows = getattr(error, "protected_objects", None) or error.restricted_objects
    return sorted(rows, key=lambda row: (row._meta.label, row.pk))


def _protected_message(section, protecting, advice=IMPORT_ADVICE, shown=5):
    by_kind = {}
    for row in protecting:
        by_kind.setdefault(row._meta, []).append(row)
    kinds = " and ".join(
        f"{len(rows)} {meta.verbose_name if len(rows) == 1 else meta.verbose_name_plural} "
        f"in {meta.app_config.verbose_name}"
        for meta, rows in by_kind.items()
    )
    names = ", ".join(f"“{row}”" for row in protecting[:shown])
    if len(protecting) > shown:
        names += f" and {len(protecting) - shown} more"
    return (
        f"The section “{section.question}” is linked to {kinds} ({names}), so replacing would "
        f"remove it: {advice}."
    )


@transaction.atomic
@reversion.create_revision()
def article_import(*, parsed: ParsedArticle, author=None, publish=False, replace=False, slug=None) -> Article:
    """Create an article with its sections from a parsed document, marked as imported and not yet
    reviewed (until an editor saves it in the admin).

    An article with the same slug is an error (SlugTaken) unless `replace` is set; then its title,
    summary and sections are replaced (its topics, author, address and status stay; `publish`
    publishes it), if replace_problems finds nothing against it. A published article is replaced
    only with `publish` (PublishNeeded): the new text goes live at once, which the caller must mean.
    """
    reversion.set_user(author)
    reversion.set_comment(f"Imported from a {parsed.format} document.")
    slug = slug or slug_for_title(parsed.title)
    article = Article.objects.select_for_update().filter(slug=slug).first()
    if article is not None and not replace:
        raise SlugTaken(f"An article with the address “{slug}” already exists.")
    if article is None:
        article = Article(slug=slug, author=author)
    else:
        if article.status == Article.Status.PUBLISHED and not publish:
            raise PublishNeeded(
                f"“{article.title}” is published: replacing it shows the new text to readers at once."
            )
        problems = replace_problems(article=article, parsed=parsed)
        if problems:
            raise ImportProblem(" ".join(problems))
    article.title = parsed.title
    article.summary = parsed.summary
    article.imported_unreviewed = True
    if publish:
        article.status = Article.Status.PUBLISHED
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        # Another import (or an editor) created the same slug a moment ago.
        raise ImportProblem(f"An article with the address “{slug}” was just created; try again.") from None
    _sections_replace(article, parsed.sections)
    # bulk_create bypasses django-reversion and Section.save(): record the sections in this
    # revision, and announce the article as it ends up.
    for section in article.sections.all():
        reversion.add_to_revision(section)
    articles_changed(article_ids=[article.pk])
    return article


def _sections_replace(article, parsed_sections, advice=IMPORT_ADVICE):
    """Make the article's sections those of the document (as _sections_planned says). The removed
    ones are deleted, unless other rows protect them (replace_problems says so first; this is for a
    row added since)."""
    planned, removed = _sections_planned(article, parsed_sections)
    for section in removed:
        try:
            section.delete()
        except (ProtectedError, RestrictedError) as error:
            raise ImportProblem(_protected_message(section, _rows(error), advice)) from None
    new_sections = []
    for section in planned:
        if section.pk is not None:
            section.save(update_fields=["question", "answer", "position"])
        else:
            section.render_answer()  # bulk_create skips save()
            new_sections.append(section)
    Section.objects.bulk_create(new_sections)


def _sections_planned(article, parsed_sections):
    """What replacing the article's sections with `parsed_sections` makes of them, unsaved: the
    sections in their new order, and those removed. A section whose question is still there keeps
    its id and anchor (so quiz links, votes and bookmarks survive) and takes the new answer and
    position; the others are new, each with a free anchor."""
    existing = {section.question: section for section in article.sections.all()}
    wanted = {parsed_section.question for parsed_section in parsed_sections}
    removed = [section for question, section in existing.items() if question not in wanted]
    taken = {section.anchor for question, section in existing.items() if question in wanted}
    planned = []
    for position, parsed_section in enumerate(parsed_sections, start=1):
        section = existing.get(parsed_section.question)
        if section is None:
            anchor = unique_anchor(parsed_section.question, taken)
            taken.add(anchor)
            section = Section(
                article=article,
                question=parsed_section.question[: Section._meta.get_field("question").max_length],
                anchor=anchor,
            )
        section.answer, section.position = parsed_section.answer, position
        planned.append(section)
    return planned, removed


class DraftProblem(Exception):
    """Why a draft can't be started or published, in one plain sentence or more."""


@transaction.atomic
def article_draft_start(*, article, user=None) -> ArticleDraft:
    """The open draft of a published article, started now from its current title, summary and
    sections if it has none (so starting again returns the same draft). The article is locked
    meanwhile, and the database allows one open draft per article."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status != Article.Status.PUBLISHED:
        raise DraftProblem(f"“{article.title}” is not published: edit it directly, no draft is needed.")
    draft = article.drafts.open().first()
    if draft is not None:
        return draft
    draft = ArticleDraft.objects.create(
        article=article,
        title=article.title,
        summary=article.summary,
        based_on=article.updated_at,
        based_on_version=article.live_version(),
        created_by=user,
    )
    DraftSection.objects.bulk_create(
        DraftSection(draft=draft, question=section.question, answer=section.answer, position=position)
        for position, section in enumerate(article.sections.all(), start=1)
    )
    return draft


def draft_parsed(draft) -> ParsedArticle:
    """The draft as a document, for the checks and the replacing an import of one would run."""
    sections = [ParsedSection(question=s.question, answer=s.answer) for s in draft.sections.all()]
    return ParsedArticle(title=draft.title, summary=draft.summary, sections=sections, format="draft")


@transaction.atomic
@reversion.create_revision()
def article_draft_publish(*, draft, user=None) -> Article:
    """Make the draft's title, summary and sections the live article's, as an import replacing it
    does (_sections_replace: sections whose question is unchanged keep their id and anchor, so quiz
    questions and votes stay linked; a removed section that quiz questions test is refused), in one
    revision, then render the page. Refused (DraftProblem) for a discarded draft, and for one whose
    article changed since the draft was started (ArticleDraft.is_stale), so nobody's live edit is
    overwritten. The draft is kept, published; publishing it again does nothing more."""
    draft = ArticleDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.state == ArticleDraft.State.PUBLISHED:
        return draft.article
    if draft.state == ArticleDraft.State.DISCARDED:
        raise DraftProblem("This draft was discarded, so it can't be published: start a new one.")
    draft.article = article = Article.objects.select_for_update().get(pk=draft.article_id)
    if draft.is_stale:
        changed = dateformat.format(timezone.localtime(article.updated_at), "j F Y, H:i")
        raise DraftProblem(
            f"“{article.title}” was changed on {changed}, "
            "after this draft was started, and publishing the draft would undo that change. Discard this "
            "draft and start a new one from the article as it is now."
        )
    parsed = draft_parsed(draft)
    problems = replace_problems(article=article, parsed=parsed, advice=DRAFT_ADVICE)
    if problems:
        raise DraftProblem(" ".join(problems))
    reversion.set_user(user)
    reversion.set_comment("Published a draft.")
    article.title, article.summary = parsed.title, parsed.summary
    article.imported_unreviewed = False  # an editor has read it in the draft
    article.save()
    try:
        _sections_replace(article, parsed.sections, advice=DRAFT_ADVICE)
    except ImportProblem as problem:  # a quiz question linked meanwhile
        raise DraftProblem(str(problem)) from None
    # bulk_create bypasses django-reversion and Section.save()'s announcement, as in article_import.
    for section in article.sections.all():
        reversion.add_to_revision(section)
    articles_changed(article_ids=[article.pk])
    draft.state, draft.closed_by, draft.closed_at = ArticleDraft.State.PUBLISHED, user, timezone.now()
    draft.save(update_fields=["state", "closed_by", "closed_at", "updated_at"])
    return article


@transaction.atomic
def article_draft_discard(*, draft, user=None) -> ArticleDraft:
    """Close an open draft without publishing it: the article stays as it is, and a new draft may
    be started. Kept, discarded, for history; a published draft stays published."""
    draft = ArticleDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.is_open:
        draft.state, draft.closed_by, draft.closed_at = ArticleDraft.State.DISCARDED, user, timezone.now()
        draft.save(update_fields=["state", "closed_by", "closed_at", "updated_at"])
    return draft


def article_draft_preview(draft):
    """The draft as readers would see its article's page once published: (article, body HTML),
    neither saved. The sections are those publishing would make (_sections_planned), rendered."""
    article = Article.objects.get(pk=draft.article_id)
    parsed = draft_parsed(draft)
    planned, _ = _sections_planned(article, parsed.sections)
    article.title, article.summary = parsed.title, parsed.summary
    for section in planned:
        section.render_answer()
    return article, article_body(article, preview=True, sections=planned)


def _plain(value):
    """A stored value as Python compares it (PostgreSQL gives binary fields as memoryview)."""
    return bytes(value) if isinstance(value, memoryview) else value


@transaction.atomic
def source_changed(*, source) -> None:
    """A source was added or changed (the admin saves it): the answers that name it are rendered
    again (their notes, and their plain text's "(US: APA 10.05)"; one that named it before it
    existed shows its notes now), and the articles whose lists of sources show it are made again."""
    naming = Section.objects.filter(answer__contains=f"[^{source.key}")
    sections_render(sections=naming)
    articles_changed(article_ids=list(naming.values_list("article_id", flat=True).distinct()))


def sections_render(*, sections) -> int:
    """Render the given sections' answers again and store them (after a change of the Markdown or
    sanitiser settings or versions, and for rows saved before answers were rendered on write).
    Returns how many changed. A section whose answer an editor changes meanwhile is left to the
    editor's save, which renders it too."""
    changed, articles = 0, set()
    rendered = Section.RENDERED_FIELDS
    fields = ["pk", "article_id", "anchor", "question", "answer", *rendered]
    known = Source.objects.using(sections.db).short_names()
    for section in sections.only(*fields).iterator(chunk_size=RENDER_BATCH):
        before = [_plain(getattr(section, field)) for field in rendered]
        section.render_answer(known)
        if [getattr(section, field) for field in rendered] != before:
            unchanged = Section.objects.using(sections.db).filter(
                pk=section.pk, question=section.question, answer=section.answer
            )
            changed += unchanged.update(**{field: getattr(section, field) for field in rendered})
            articles.add(section.article_id)
    # update() skips Section.save(): the articles showing these answers are announced here.
    if articles:
        articles_changed(article_ids=articles, using=sections.db)
    return changed


STATUS_COMMENTS = {
    Article.Status.PUBLISHED: "Published.",
    Article.Status.DRAFT: "Unpublished: back to draft.",
}


@transaction.atomic
@reversion.create_revision()
def articles_set_status(*, articles, status, user=None) -> int:
    """Publish the given articles, or turn them back into drafts; each keeps a revision.

    Publishing gives the present moment to those without a publication time, and leaves those
    with a future time scheduled; going back to draft keeps the time.
    """
    reversion.set_user(user)
    reversion.set_comment(STATUS_COMMENTS[status])
    count = 0
    for article in articles.prefetch_related("sections"):
        article.status = status
        # save(), not update(): revisions, publication times and Article.save()'s announcement need it.
        article.save()
        count += 1
    return count


# The session key under which a visitor without an account keeps their visitor key for votes (the
# value predates the name: changing it would forget the votes of visitors' open sessions).
VISITOR_SESSION_KEY = "feedback_voter"


def helpful_vote_cast(*, section, reader, helpful) -> HelpfulVote:
    """The reader's vote on `section`'s answer: one per reader and section, so voting again
    changes it."""
    vote, _ = HelpfulVote.objects.update_or_create(
        section=section, **reader.owner(), defaults={"helpful": helpful}
    )
    return vote


@transaction.atomic
def helpful_votes_claim(*, user, visitor_key) -> int:
    """Move a visitor's "Was this helpful?" votes to the account they log in to, so that one
    reader still has one vote per section (where the account voted too, its vote stays)."""
    if not visitor_key:
        return 0
    theirs = HelpfulVote.objects.for_reader(Reader(visitor_key=visitor_key))
    theirs.filter(section__in=HelpfulVote.objects.for_reader(Reader(user=user)).values("section")).delete()
    return theirs.update(user=user, visitor_key="")


def article_redirect_record(*, article, old_slug):
    """The article left `old_slug`: that address now redirects to it (an older redirect from there,
    to another article, gives way). An address it comes back to redirects nowhere."""
    db = article._state.db
    if old_slug != article.slug:
        ArticleRedirect.objects.using(db).update_or_create(old_slug=old_slug, defaults={"article": article})
    ArticleRedirect.objects.using(db).filter(old_slug=article.slug, article=article).delete()


def draft_slug(slug):
    """A free address for a new draft made from the article at `slug`: "<slug>-draft", "-draft-2"..."""
    taken = set(Article.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, n = f"{slug}-draft", 2
    while candidate in taken:
        candidate, n = f"{slug}-draft-{n}", n + 1
    return candidate


def visitor_votes_delete(*, before) -> int:
    """Delete "Was this helpful?" votes of visitors without an account cast (or last changed)
    before `before`. Returns how many went. Readers' votes stay with their accounts."""
    deleted, _ = HelpfulVote.objects.of_visitors().filter(created_at__lt=before).delete()
    return deleted


def reader_votes_data(*, user) -> dict:
    """A reader's "Was this helpful?" votes, as JSON types (their "download my data")."""
    votes = HelpfulVote.objects.for_reader(Reader(user=user)).select_related("section__article")
    return {
        "votes": [
            {
                "article": vote.section.article.title,
                "question": vote.section.question,
                "helpful": vote.helpful,
                "at": vote.created_at.isoformat(),
            }
            for vote in votes
        ]
    }


def reader_votes_anonymise(*, user) -> int:
    """Before an account is deleted: its votes still count, but as no one's (as a visitor's, until
    clear_guest_data deletes them). Returns how many."""
    anonymous = f"deleted-{secrets.token_hex(12)}"
    return HelpfulVote.objects.for_reader(Reader(user=user)).update(user=None, visitor_key=anonymous)


@transaction.atomic
def search_record(*, text, week, found, new_reader) -> None:
    """One search for `text` (WeeklySearch.text_for) in `week` (a Monday), which found `found`
    answers, made by a reader not yet counted for it this week (`new_reader`) or by one who was.
    The week's row for `text` is made if it has none (a row made at the same moment by another
    request is kept: ON CONFLICT DO NOTHING, INSERT OR IGNORE), then counted in the database
    (F()), so searches made at the same moment are all counted."""
    if connection.vendor == "postgresql":
        # A count lost to a crash of the machine costs nothing; a reader waiting for the disk at
        # each search does (8 ms a search on the development machine). SQLite is already so (WAL,
        # synchronous=NORMAL: faqsite/settings.py).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    WeeklySearch.objects.bulk_create([WeeklySearch(text=text, week=week)], ignore_conflicts=True)
    WeeklySearch.objects.filter(text=text, week=week).update(
        searches=F("searches") + 1,
        readers=F("readers") + int(new_reader),
        found_nothing=F("found_nothing") + int(not found),
    )


@transaction.atomic
def search_click_record(*, text, day) -> bool:
    """A reader clicked a result of the search for `text` on `day`: counted for that search's
    week, or the week before when this week has no such search yet (a click just after Monday's
    midnight follows a search made on Sunday). Never more clicks than searches that found
    something, so a click sent by hand can't make a search look answered more often than it was
    made. True if it was counted."""
    week = WeeklySearch.week_for(day)
    rows = WeeklySearch.objects.filter(text=text, week__in=[week, week - timedelta(days=7)])
    pk = rows.order_by("-week").values_list("pk", flat=True).first()
    if pk is None:
        return False
    return bool(WeeklySearch.objects.awaiting_click().filter(pk=pk).update(clicked=F("clicked") + 1))


def weekly_searches_delete(*, before) -> int:
    """Delete the counts of weeks that began before `before`'s day. Returns how many rows went."""
    deleted, _ = WeeklySearch.objects.older_than(before).delete()
    return deleted
