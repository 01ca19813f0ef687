"""Demo topics and articles, written in the project's own words (the Markdown files beside this).

`load_articles()` adds those that are missing; `python manage.py load_demo` calls it first.
"""

from datetime import timedelta
from pathlib import Path

import reversion
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.importer import parse
from articles.models import Article, SearchSynonym, Source, Topic
from articles.services import article_import, articles_changed

DEMO_DIR = Path(__file__).resolve().parent

TOPICS = {
    "emotions-in-therapy": (
        "Emotions in therapy",
        "Crying, closeness and feelings on both sides of the therapy room.",
    ),
    "boundaries": (
        "Boundaries",
        "Where a professional relationship ends, and what crosses the line.",
    ),
    "red-flags": (
        "Red flags and complaints",
        "Signs that something is wrong in therapy, and what you can do about it.",
    ),
    "kinds-of-therapist": (
        "Kinds of therapist",
        "Psychologists, psychiatrists, counselors and social workers: training, licences and titles.",
    ),
}

# (file in this folder, summary, topic slugs), newest first. The file's name is the article's slug.
ARTICLES = [
    (
        "how-do-i-complain-about-a-therapist.md",
        "Where to take a complaint in the US and the UK: licensing boards, regulators, professional "
        "bodies, the service itself and, for a crime, the police.",
        ["red-flags"],
    ),
    (
        "psychologist-psychiatrist-or-therapist.md",
        "“Therapist” is an umbrella word, not a licence. Who does what, who can prescribe, "
        "and how to check someone's qualifications.",
        ["kinds-of-therapist"],
    ),
    (
        "boundaries-in-therapy.md",
        "Your relationship with a therapist is a professional one, there for your benefit. "
        "Where the main codes of ethics draw the lines, and why.",
        ["boundaries", "red-flags"],
    ),
    (
        "are-therapists-allowed-to-cry.md",
        "Yes: no code of ethics forbids it. What matters is whose needs the tears serve. "
        "How common it is, when it helps, and when it becomes a problem.",
        ["emotions-in-therapy", "red-flags"],
    ),
]


# The sources the demo answers cite (Source; articles/citations.py): (key, short name, issued by,
# title, edition or year, country, link, what a place in it is). The studies have no short name:
# the answers name them in words already. The codes are the editions the demo was
# checked against (the project's content facts).
SOURCES = [
    (
        "apa-2017",
        "APA",
        "American Psychological Association",
        "Ethical Principles of Psychologists and Code of Conduct",
        "2002, amended 2010 and 2016",
        "US",
        "https://www.apa.org/ethics/code",
        "standard",
    ),
    (
        "aca-2014",
        "ACA",
        "American Counseling Association",
        "ACA Code of Ethics",
        "2014",
        "US",
        "https://www.counseling.org/resources/aca-code-of-ethics.pdf",
        "standard",
    ),
    (
        "nasw-2017",
        "NASW",
        "National Association of Social Workers",
        "Code of Ethics",
        "2017 revision",
        "US",
        "https://www.socialworkers.org/About/Ethics/Code-of-Ethics/Code-of-Ethics-English",
        "standard",
    ),
    (
        "aamft-2015",
        "AAMFT",
        "American Association for Marriage and Family Therapy",
        "Code of Ethics",
        "2015",
        "US",
        "https://www.aamft.org/AAMFT/Legal_Ethics/Code_of_Ethics.aspx",
        "standard",
    ),
    (
        "bacp-2018",
        "BACP",
        "British Association for Counselling and Psychotherapy",
        "Ethical Framework for the Counselling Professions",
        "2018",
        "GB",
        "https://www.bacp.co.uk/events-and-resources/ethics-and-standards/ethical-framework-for-the-counselling-professions/",
        "",  # the places are written out: "paragraph 34", "Good Practice"
    ),
    (
        "blume-marcovici-2013",
        "",
        "Blume-Marcovici, Stolberg and Khademi",
        "Do therapists cry in therapy? The role of experience and other factors in therapists' tears",
        "Psychotherapy 50(2), 2013",
        "",
        "",
        "",
    ),
    (
        "blume-marcovici-2015",
        "",
        "Blume-Marcovici and colleagues",
        "Examining our tears: therapists' accounts of crying in therapy",
        "American Journal of Psychotherapy 69(4), 2015",
        "",
        "",
        "",
    ),
    (
        "henretty-levitt-2010",
        "",
        "Henretty and Levitt",
        "The role of therapist self-disclosure in psychotherapy: a qualitative review",
        "Clinical Psychology Review 30(1), 2010",
        "",
        "",
        "",
    ),
]


# The editors' search synonyms for this field (SearchSynonym; editors add more in the admin):
# the words readers use for what the articles call otherwise.
SYNONYMS = [
    "hug, touch, physical contact, embrace, cuddle",
    "date, dating, romantic relationship, romance",
    "sex, sexual relationship, sexual contact",
    "red flags, warning signs, bad signs",
    "complain, complaint, report, reporting",
    "fee, fees, charge, charges, cost, price, pay, payment, bill, unpaid bill, debt collector",
    "cry, crying, tears, tearful, weep, tearing up, teary",
    "all right, ok, okay, acceptable, allowed",
    "common, often, frequently, usual",
    "confidential, confidentiality, private, privacy, secret, tell anyone",
    "medication, medicine, pills, drugs",
    "qualified, qualifications, credentials, licensed",
    "friend, friends, pals, friendship",
    "social media, facebook, instagram, online, insta, dm, direct message, linkedin, tiktok",
    "business partner, business, landlord, dual relationship",
    "lpc, licensed professional counselor, lmhc",
    "lcsw, licensed clinical social worker, clinical social worker",
    "lmft, licensed marriage and family therapist, marriage and family therapist",
    "duty to protect, duty to warn, warn, threatens, threatened",
    "neutral, neutrality, blank screen",
    "assessment, assess, testing, psychological testing",
    "gp, family doctor",
    "registered, register, regulated, regulates, regulator",
]


def load_sources() -> int:
    """Add the demo sources that are missing (one an editor changed is left as it is); returns how
    many were added."""
    added = 0
    for key, short_name, issuer, title, edition, country, url, places_are in SOURCES:
        fields = {"short_name": short_name, "issuer": issuer, "title": title, "edition": edition}
        fields |= {"country": country, "url": url, "places_are": places_are}
        added += Source.objects.get_or_create(key=key, defaults=fields)[1]
    return added


@transaction.atomic
def load_articles() -> list[str]:
    """Add the demo topics and the demo articles that are missing; returns what was done, in lines.
    An article whose address is taken is left as it is (an editor may have changed or replaced it)."""
    # A topic an editor renamed or gave another address is still the demo's (names are unique too).
    topics = {}
    for slug, (name, description) in TOPICS.items():
        topic = Topic.objects.filter(Q(slug=slug) | Q(name=name)).order_by("slug").first()
        topics[slug] = topic or Topic.objects.create(slug=slug, name=name, description=description)
    sources = load_sources()  # before the articles, whose answers cite them
    added, there = [], []
    now = timezone.now()
    for age, (filename, summary, topic_slugs) in enumerate(ARTICLES):
        slug = Path(filename).stem
        if Article.objects.filter(slug=slug).exists():
            there.append(slug)
            continue
        parsed = parse((DEMO_DIR / filename).read_text(encoding="utf-8"), format="markdown")
        parsed.summary = summary
        # One revision holds the article as it ends up: dates and topics included.
        with reversion.create_revision():
            article = article_import(parsed=parsed, publish=True, slug=slug)
            article.published_at = now - timedelta(days=age + 1)
            # Checked against the project's content facts when written; due in a year.
            article.last_reviewed = now.date() - timedelta(days=age + 1)
            article.review_due = article.last_reviewed + timedelta(days=365)
            article.imported_unreviewed = False  # reviewed when written, as last_reviewed says
            article.save(update_fields=["published_at", "last_reviewed", "review_due", "imported_unreviewed"])
            article.topics.set([topics[topic] for topic in topic_slugs])
            articles_changed(article_ids=[article.pk])  # its topics are links: Article.save() ran first
        added.append(slug)
    synonyms = sum(SearchSynonym.objects.get_or_create(words=words)[1] for words in SYNONYMS)
    report = [
        f"Demo sources: {sources} added.",
        f"Demo articles: {len(added)} added, {len(there)} already there.",
    ]
    if there:
        report.append("Left as they are (an article with the address exists): " + ", ".join(there) + ".")
    report.append(f"Demo search synonyms: {synonyms} added.")
    return report
