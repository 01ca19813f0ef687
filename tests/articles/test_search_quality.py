"""The search quality bars, on SQLite and on PostgreSQL (the figures are printed: `pytest -s`).

1. The reader questions (tests/articles/search_questions/): 190 answerable and 50 unanswerable
   questions in readers' words, written by someone who had not seen the search code, split once at
   random (seed 20261207) into a tuning half and a test half. Synonyms, weights and thresholds are
   tuned on the tuning half only; the test half is scored here and the ranking is never changed
   because of a miss in it. Each half must keep the figures it had when the ranking was last tuned
   (FLOORS): a change that makes search worse fails. The issue's goals (GOALS) are printed beside
   them; they are not met yet (README, "Search quality").
2. The project's own 38 questions (QUESTIONS), written with the first search and tuned on: the
   expected section in the top 3 for at least 92 % of them.
"""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from articles.search import search_sections
from articles.search.spelling import corrected

pytestmark = pytest.mark.django_db

HUG = "Can a therapist hug a client who is crying?"
CRY_OK = "Is it all right for a therapist to cry in a session?"
FRIEND = "Can my therapist also be my friend, landlord or business partner?"
SEX = "Can a therapist date or have sex with a client?"
TELL = "Can a therapist tell anyone what I say?"
COMPLAIN = {
    "What can I do if I think my therapist has behaved unethically?",
    "Where do I start with a complaint?",
    "Where do I complain in the US?",
    "Where do I complain in the UK?",
}
COUNSELORS = "What are counselors, clinical social workers and family therapists?"

# (what a reader types, the questions of the sections that answer it)
QUESTIONS = [
    ("can my therapist hug me", {HUG}),
    ("can my therapist touch me", {HUG}),
    ("is it ok if my therapist cries", {CRY_OK}),
    (
        "my therapist was tearful in our session",
        {CRY_OK, "When does a therapist's emotion become a problem?"},
    ),
    ("how often do therapists cry", {"How common is it for therapists to cry in a session?"}),
    ("why would a therapist cry with a client", {"When can a therapist's tears help?"}),
    (
        "do therapists have to hide their emotions",
        {"Do therapists have to stay neutral and hide their feelings?"},
    ),
    ("what happens if I cry in therapy", {"What do therapists do when a client cries?"}),
    ("crying at my first session", {"Is it normal to cry in a first therapy session?"}),
    ("is it weird to be tearful in therapy", {"Is it normal to cry in a first therapy session?"}),
    ("does my therapist talk about their own life", {"Do therapists share their own experiences?"}),
    ("warning signs of a bad therapist", {"What are red flags in a therapist?"}),
    ("how do I report a therapist", COMPLAIN),
    ("complain about my counsellor", COMPLAIN),
    ("can the APA take away a licence", {"Can a professional association take away a therapist's licence?"}),
    ("therapist not on any register", {"What if my therapist is not registered with anyone?"}),
    (
        "boundary crossing or boundary violation",
        {"What is the difference between a boundary crossing and a boundary violation?"},
    ),
    ("can my therapist be my friend", {FRIEND}),
    ("my therapist wants to go into business with me", {FRIEND}),
    ("my therapist sent me a friend request", {"Can my therapist follow me or friend me on social media?"}),
    ("should I buy my therapist a present", {"Is it all right to give my therapist a gift?"}),
    ("can I date my therapist", {SEX}),
    ("sex with a therapist", {SEX}),
    ("dating my therapist after therapy ends", {"What about after therapy has ended?"}),
    ("is what I tell my therapist confidential", {TELL}),
    ("when can a therapist break confidentiality", {TELL}),
    ("duty to warn", {'What is the "duty to protect"?'}),
    ("what should my therapist explain at the start", {"What should a therapist tell me before we start?"}),
    ("my therapist charges too much", {"Are high fees unethical?"}),
    ("what does the word therapist mean", {'What does "therapist" actually mean?'}),
    ("what does a psychiatrist do", {"What is a psychiatrist?"}),
    ("what is a psychologist", {"What is a psychologist?"}),
    ("can a psychologist prescribe pills", {"Can psychologists prescribe medication?"}),
    ("what is a counselor", {COUNSELORS}),
    ("who can diagnose depression", {"Who can diagnose a mental health condition?"}),
    ("are therapist titles protected in the UK", {"How do these titles work in the UK?"}),
    ("how do I check my therapist is qualified", {"How can I check a therapist's qualifications?"}),
    ("not sure what kind of therapist I need", {"What if I am not sure which kind of professional I need?"}),
]
BAR = 0.92


def test_the_expected_section_is_in_the_top_three_for_nine_questions_in_ten(capsys):
    call_command("load_demo", verbosity=0)
    misses = []
    for query, expected in QUESTIONS:
        top = [hit.section.question for hit in search_sections(query)[:3]]
        if not expected & set(top):
            misses.append(f"  {query!r}: got {top}")
    found = 1 - len(misses) / len(QUESTIONS)
    with capsys.disabled():
        print(
            f"\nsearch quality on {connection.vendor}: {found:.0%} of {len(QUESTIONS)} questions in the top 3"
        )
        print("\n".join(misses))
    assert found >= BAR, "\n".join(misses)


HALVES = Path(__file__).parent / "search_questions"
# What each half scored when the ranking was last tuned (the lower of the two databases), as
# (in the top 3, first, "nothing found" for the unanswerable). A drop fails.
# Last moved when the demo's answers cited their sources with markers ("(US: APA 10.05)" in their
# plain text, where "(US: APA 10.05, NASW 1.09; UK: ...)" was), with the ranking unchanged: the top
# 3 kept their figures on both halves and both databases; "first" lost two questions of each half
# to near ties (closeness in meaning within 0.015). Before that, by the corrections after the
# outside fact check (README, "Search quality").
FLOORS = {"tuning": (0.87, 0.61, 0.84), "test": (0.83, 0.66, 0.56)}
GOALS = (0.92, 0.75, 0.90)


def searched(query):
    """What a reader who typed `query` is shown, as the search page does it (spelling first)."""
    return [hit.section.question for hit in search_sections(corrected(query) or query)[:3]]


def figures(questions):
    top3 = first = nothing = 0
    answerable = [q for q in questions if q["answers"]]
    for question in answerable:
        top = searched(question["q"])
        top3 += bool(set(question["answers"]) & set(top))
        first += bool(top) and top[0] in question["answers"]
    unanswerable = [q for q in questions if not q["answers"]]
    nothing = sum(not searched(q["q"]) for q in unanswerable)
    return top3 / len(answerable), first / len(answerable), nothing / len(unanswerable)


@pytest.mark.parametrize("half", ["tuning", "test"])
def test_the_reader_questions_keep_their_figures(half, capsys):
    call_command("load_demo", verbosity=0)
    questions = json.loads((HALVES / f"{half}.json").read_text(encoding="utf-8"))
    found = figures(questions)
    with capsys.disabled():
        names = ("in the top 3", "first", "nothing found for the unanswerable")
        print(
            f"\nreader questions, {half} half, on {connection.vendor}: "
            + ", ".join(
                f"{name} {value:.1%} (goal {goal:.0%})"
                for name, value, goal in zip(names, found, GOALS, strict=True)
            )
        )
    for name, value, floor in zip(("top 3", "first", "nothing found"), found, FLOORS[half], strict=True):
        assert value >= floor, f"{half} half, {name}: {value:.1%}, was {floor:.0%}"


def test_the_halves_are_the_ones_split_once():
    """Each half keeps its questions: a question moved from the test half to the tuning half (or
    edited to pass) would make the test half's figure a tuned one."""
    halves = {half: json.loads((HALVES / f"{half}.json").read_text(encoding="utf-8")) for half in FLOORS}
    sizes = {half: (len(q), sum(1 for x in q if x["answers"])) for half, q in halves.items()}
    assert sizes == {"tuning": (120, 95), "test": (120, 95)}
    assert not {q["q"] for q in halves["tuning"]} & {q["q"] for q in halves["test"]}
