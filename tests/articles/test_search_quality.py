"""The search quality bar: questions as readers type them, each with the section of the demo
content that answers it. The expected section must be in the top 3 for at least 90 % of them, on
SQLite and on PostgreSQL (the figure is printed: `pytest -s`)."""

import pytest
from django.core.management import call_command
from django.db import connection

from articles.search import search_sections

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
BAR = 0.9


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
