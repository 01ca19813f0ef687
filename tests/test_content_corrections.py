"""The outside fact check of the demo content (../shared/CONTENT-FACTS.md, section 13): each
correction, as readers see it in the demo articles, quizzes and crisis lines, with the words it
replaced. A test fails if the old words come back or the correction goes."""

import re

import pytest
from django.template.loader import render_to_string

from articles.demo import ARTICLES, DEMO_DIR
from articles.importer import parse
from quizzes.demo import QUIZZES


def answer(question):
    """The plain text of the demo section asking `question`, as parsed when the demo is loaded."""
    for filename, _summary, _topics in ARTICLES:
        for section in parse((DEMO_DIR / filename).read_text(encoding="utf-8"), format="markdown").sections:
            if section.question == question:
                return " ".join(section.answer.split())
    raise AssertionError(f"no demo section asks {question!r}")


def quiz_question(start):
    """The demo quiz question whose prompt starts with `start`: its prompt, choices and notes, and
    explanation, as one text."""
    for quiz in QUIZZES:
        for _kind, prompt, choices, explanation, _link in quiz["questions"]:
            if prompt.startswith(start):
                parts = [prompt, explanation, *(f"{text} {note}" for text, _correct, note in choices)]
                return " ".join(" ".join(parts).split())
    raise AssertionError(f"no demo quiz question starts {start!r}")


WHEN_A_CLIENT_CRIES = "What do therapists do when a client cries?"
CONFIDENTIALITY = "Can a therapist tell anyone what I say?"
AFTER_THERAPY = "What about after therapy has ended?"


def test_how_often_clients_cry_cites_both_studies_for_its_two_figures():
    text = answer(WHEN_A_CLIENT_CRIES)
    assert "21% of sessions in one study (Trezza and colleagues, 1988)" in text
    assert "14% in another (Robinson, Hill and Kivlighan, 2015)" in text
    quiz = quiz_question("Roughly how often do clients cry")
    assert "14% to 21%" not in quiz
    assert "21% of sessions (Trezza and colleagues, 1988)" in quiz
    assert "14% (Robinson, Hill and Kivlighan, 2015)" in quiz


def test_sharing_only_what_is_needed_is_not_cited_to_the_payment_rule():
    text = answer(CONFIDENTIALITY)
    assert "4.05(b)" not in text
    assert "only what the purpose needs[^apa-2017:4.04]" in text


def test_the_prescribing_states_are_at_least_seven_and_dated():
    text = answer("Can psychologists prescribe medication?")
    assert "at least seven" in text and "By 2024" in text
    for state in ("New Mexico", "Louisiana", "Illinois", "Iowa", "Idaho", "Colorado", "Utah"):
        assert state in text
    assert "the US military and the Indian Health Service" in text
    quiz = quiz_question("Which US state was the first")
    assert "Colorado and Utah" in quiz and "at least seven" in quiz
    assert not re.search(r"Louisiana, Illinois, Iowa and Idaho followed", quiz)


def test_the_nasw_rule_on_former_clients_is_said_to_be_about_sexual_relationships():
    text = answer(AFTER_THERAPY)
    assert "sexual activity with a former client" in text and "[^nasw-2017:1.09(c)]" in text
    assert "[^nasw-2017:1.06(c)]" in text  # the other relationships, under their own rule
    quiz = quiz_question("Does the US social work code (NASW)")
    assert "a sexual relationship with a former client" in quiz
    assert "NASW 1.09(c)" in quiz
    assert "have a relationship with a former client" not in quiz


def test_a_doctorate_is_said_of_psychologists_in_most_states_not_all():
    text = answer("What is a psychologist?")
    assert "In most US states, a licensed psychologist has a doctoral degree" in text
    assert "Vermont" in text
    quiz = quiz_question("In most US states, what degree")
    assert "Vermont" in quiz
    assert "Psychologists hold a doctorate" not in quiz_question("Your family doctor suggests")


def test_after_therapy_names_the_family_therapists_ban_and_no_unchecked_bacp_paragraph():
    text = answer(AFTER_THERAPY)
    assert "AAMFT" in text and "no time limit" in text
    bacp = text[text.index("In the UK (BACP)") :]
    assert "paragraph" not in bacp and "[^bacp-2018:Good Practice, on relationships]" in bacp


def test_the_therapy_contract_cites_bacp_paragraphs_30_to_31():
    text = answer("What should a therapist tell me before we start?")
    assert "[^bacp-2018:paragraphs 30–31]" in text
    assert "BACP, paragraph 31)" not in text


def test_confidentiality_limits_are_not_one_list_and_say_whose_words_each_is():
    text = answer(CONFIDENTIALITY)
    assert "differ between codes, US states and countries" in text
    assert '"serious and foreseeable harm" in the counselors\' code[^aca-2014:B.2.a]' in text
    assert (
        '"serious, foreseeable, and imminent harm" in the social workers\' code[^nasw-2017:1.07(c)]' in text
    )
    assert "when there is a serious and foreseeable risk of harm to you" not in text


def test_complaining_afterwards_names_the_time_limits():
    text = answer("Do I have to raise it with my therapist first?")
    assert "time limits" in text
    assert "BACP" in text and "three years" in text
    assert "NASW within one year" in text


def test_the_confidentiality_answer_does_not_put_a_reader_off_talking_about_suicide():
    assert "(#can-i-tell-my-therapist-about-thoughts-of-suicide)" in answer(CONFIDENTIALITY)
    text = answer("Can I tell my therapist about thoughts of suicide?")
    assert "a normal part of therapy" in text
    assert "talk with you about what to do next before doing anything" in text
    assert "(#crisis-lines)" in text  # the footer's crisis lines, on every page (base.html)


@pytest.mark.django_db
def test_the_link_to_the_crisis_lines_lands_on_them(client):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    page = client.get("/articles/boundaries-in-therapy/").content.decode()
    assert 'href="#crisis-lines"' in page
    assert 'href="#can-i-tell-my-therapist-about-thoughts-of-suicide"' in page
    assert 'id="can-i-tell-my-therapist-about-thoughts-of-suicide"' in page
    target = page[page.index('id="crisis-lines"') :]
    assert "Samaritans" in target[:2000] and "988" in target[:2000]


def test_nasw_sanctions_go_beyond_expulsion():
    text = answer("Can a professional association take away a therapist's licence?")
    assert "NASW can also tell licensing boards and employers" in text
    quiz = quiz_question("You believe your psychologist, licensed in a US state")
    assert "a professional association can at most expel a member" not in quiz
    assert "a professional association cannot remove a licence" in quiz


def test_rules_without_a_checked_text_are_not_cited_by_number():
    boundaries = (DEMO_DIR / "boundaries-in-therapy.md").read_text(encoding="utf-8")
    assert not re.search(r"AAMFT 1\.[45]", boundaries)
    assert "Texas" not in boundaries and "$50" not in boundaries


def test_the_crisis_lines_say_choose_the_mental_health_option_not_a_number():
    lines = render_to_string("includes/crisis_lines.html")
    assert "option 2" not in lines
    assert "NHS 111 (choose the mental health option)" in lines
