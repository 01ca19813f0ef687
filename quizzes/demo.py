"""Demo quizzes, each question linked to the demo-article section that explains it.

A question is (kind, prompt, choices, explanation, (article slug, section anchor)); a choice is
(text, correct, note). Loaded by `python manage.py load_demo` after the demo articles.
"""

from django.db import transaction

from articles.models import Section, Topic
from quizzes.models import Choice, Pace, Question, Quiz
from quizzes.services import quizzes_set_status

S, M, TF = Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE
CRY = "are-therapists-allowed-to-cry"
BOUNDARIES = "boundaries-in-therapy"
KINDS = "psychologist-psychiatrist-or-therapist"


def true_false(true_is_correct, note_true="", note_false=""):
    return [("True", true_is_correct, note_true), ("False", not true_is_correct, note_false)]


QUIZZES = [
    {
        "slug": "tears-and-feelings-in-therapy",
        "title": "Tears and feelings in therapy",
        "description": "Eight questions on crying and emotion in the therapy room: what the codes of "
        "ethics say, what research has found, and when feelings become a problem.",
        "topics": ["emotions-in-therapy"],
        "questions": [
            (
                S,
                "As you talk about your father's death, your therapist's eyes fill with tears. They "
                "say your story moved them, then bring the session back to you. What do the major "
                "codes of ethics say about this?",
                [
                    (
                        "It breaks them: a therapist must never show emotion in a session",
                        False,
                        "No code forbids tears; “neutrality” is a technique some therapists use, not a rule.",
                    ),
                    (
                        "Nothing forbids it: what matters is that the focus stays on you",
                        True,
                        "Right: the codes ask therapists to avoid harm and to keep their own "
                        "difficulties from getting in the way, and this therapist did.",
                    ),
                    (
                        "Only the UK's codes allow it",
                        False,
                        "The US codes don't forbid it either; no major code does.",
                    ),
                ],
                "No major code forbids a therapist's tears. The US psychologists' code asks them to "
                "avoid harm (US: APA 3.04) and to deal with personal problems that could affect their "
                "work (US: APA 2.06). The question is whose needs the tears serve.",
                (CRY, "is-it-all-right-for-a-therapist-to-cry-in-a-session"),
            ),
            (
                S,
                "In a 2013 survey of 684 US psychologists and trainees, about what share said they "
                "had cried in a session at least once?",
                [
                    ("About 15%", False, ""),
                    ("About 40%", False, ""),
                    ("About 72%", True, ""),
                    ("About 95%", False, ""),
                ],
                "72% said they had cried in a session at least once (Blume-Marcovici, Stolberg and "
                "Khademi, 2013).",
                (CRY, "how-common-is-it-for-therapists-to-cry-in-a-session"),
            ),
            (
                TF,
                "In that survey, more experienced clinicians were more likely to have cried in a session.",
                true_false(
                    True,
                    "Yes: more experienced clinicians were more likely to have cried, not less.",
                    "Many expect experience to make tears rarer, but the survey found the opposite.",
                ),
                "More experienced clinicians were more likely to have cried, not less; men and women "
                "gave similar answers.",
                (CRY, "how-common-is-it-for-therapists-to-cry-in-a-session"),
            ),
            (
                M,
                "Which of these suggest that a therapist's emotion has become a problem? Choose all "
                "that apply.",
                [
                    (
                        "You find yourself comforting your therapist",
                        True,
                        "The focus has moved from you to them.",
                    ),
                    (
                        "Sessions keep turning to the therapist's own problems",
                        True,
                        "Your time is being used for their needs.",
                    ),
                    (
                        "Your therapist's eyes fill up briefly while you talk about a loss",
                        False,
                        "A brief, quiet moment that keeps the focus on you is not a problem in itself.",
                    ),
                    (
                        "Your therapist talks with you afterwards about a moment they were moved",
                        False,
                        "Talking about it tends to help the working relationship.",
                    ),
                ],
                "Emotion becomes a problem when it moves the focus of the session from the client "
                "to the therapist.",
                (CRY, "when-does-a-therapists-emotion-become-a-problem"),
            ),
            (
                TF,
                "Codes of ethics require therapists to stay neutral and never show emotion.",
                true_false(False, "", "No code requires a blank face."),
                "“Neutrality” is a technical term from psychoanalysis about not taking sides in a "
                "client's inner conflicts. Showing some genuine feeling fits with good practice, as "
                "long as the attention stays on the client.",
                (CRY, "do-therapists-have-to-stay-neutral-and-hide-their-feelings"),
            ),
            (
                M,
                "A client who is crying asks their social worker for a hug. Under the US social work "
                "code (NASW 1.10), what should the social worker weigh? Choose all that apply.",
                [
                    (
                        "Whether the contact could cause the client psychological harm",
                        True,
                        "Right: the code asks social workers to avoid contact that could harm.",
                    ),
                    (
                        "Setting clear limits that suit the client's culture, if contact is appropriate",
                        True,
                        "Right: where contact is appropriate, the social worker sets clear, culturally "
                        "sensitive limits.",
                    ),
                    (
                        "Nothing: the code bans all physical contact with clients",
                        False,
                        "There is no blanket ban on touch in the code.",
                    ),
                    (
                        "Nothing: a hug is always fine when the client asks for it",
                        False,
                        "Asking matters, but the code still asks whether contact could harm and "
                        "what limits suit the client.",
                    ),
                ],
                "US: NASW 1.10 is not a blanket ban. A careful social worker also thinks about the "
                "client's history (past trauma, for example) and culture, and can say no kindly. "
                "Sexual touch is never acceptable.",
                (CRY, "can-a-therapist-hug-a-client-who-is-crying"),
            ),
            (
                S,
                "About what share of therapists say they sometimes tell clients something about themselves?",
                [
                    ("Under 10%", False, ""),
                    ("About a third", False, ""),
                    ("Over 90%", True, ""),
                ],
                "Over 90% of therapists say they disclose something about themselves at times "
                "(Henretty and Levitt, 2010). It becomes a problem when it serves the therapist "
                "rather than the client.",
                (CRY, "do-therapists-share-their-own-experiences"),
            ),
            (
                S,
                "Roughly how often do clients cry in therapy sessions?",
                [
                    ("Almost never: about one session in a hundred", False, ""),
                    ("In roughly one session in seven to one in five", True, ""),
                    ("In nearly every session", False, ""),
                ],
                "Two studies found about 21% of sessions (Trezza and colleagues, 1988) and about 14% "
                "(Robinson, Hill and Kivlighan, 2015), so therapists are used to it.",
                (CRY, "what-do-therapists-do-when-a-client-cries"),
            ),
        ],
    },
    {
        "slug": "boundaries-and-red-flags",
        "title": "Boundaries and red flags",
        "description": "Eleven questions on where the codes of ethics draw the lines: multiple "
        "relationships, gifts, social media, relationships after therapy, confidentiality and "
        "complaints.",
        "topics": ["boundaries", "red-flags"],
        "questions": [
            (
                S,
                "What turns a boundary crossing into a boundary violation?",
                [
                    (
                        "Any contact outside the therapy room",
                        False,
                        "A chance meeting in a shop is a crossing, not a violation.",
                    ),
                    ("The crossing exploits or harms the client", True, ""),
                    ("Accepting any gift at all", False, "A small gift can be a harmless crossing."),
                ],
                "Crossings can be helpful, neutral or harmful; a violation is a crossing that "
                "exploits or harms the client (Gutheil and Gabbard).",
                (BOUNDARIES, "what-is-the-difference-between-a-boundary-crossing-and-a-boundary-violation"),
            ),
            (
                TF,
                "Under the US psychologists' code (APA), a multiple relationship with a client is not "
                "unethical in itself if it could not reasonably be expected to impair judgement or "
                "risk exploiting or harming the client.",
                true_false(
                    True,
                    "Yes: the code rules out the risky ones, not every second relationship.",
                    "The code rules out only the ones that carry those risks.",
                ),
                "US: APA 3.05 rules out multiple relationships that could reasonably be expected to "
                "impair the psychologist's judgement or risk exploiting or harming the client. Ones "
                "without those risks are not unethical in themselves.",
                (BOUNDARIES, "can-my-therapist-also-be-my-friend-landlord-or-business-partner"),
            ),
            (
                M,
                "At the last session, a client gives their counselor a $20 gift card as thanks. Under "
                "the US counselors' code (ACA A.10.f), what should the counselor weigh? Choose all "
                "that apply.",
                [
                    ("Their relationship with the client", True, "Right: one of the things the code names."),
                    ("What the gift is worth", True, "Right: a small token differs from an expensive gift."),
                    (
                        "Why the client gives it, and why the counselor would accept it",
                        True,
                        "Right: the code asks about both people's motives.",
                    ),
                    (
                        "Whether the client has paid every fee",
                        False,
                        "Not one of the code's factors: a gift is not a payment.",
                    ),
                ],
                "US: ACA A.10.f asks counselors to weigh the relationship, the gift's value, the "
                "client's and their own motives, and cultural norms. A small, one-off token at the "
                "end of therapy is often fine; some state rules set limits of their own.",
                (BOUNDARIES, "is-it-all-right-to-give-my-therapist-a-gift"),
            ),
            (
                S,
                "While you are still their client, your counselor sends you a friend request on a "
                "social network. Under the US counselors' code (ACA A.5.e), is that acceptable?",
                [
                    (
                        "Yes, if you accept it",
                        False,
                        "Accepting doesn't make it acceptable: the rule is the counselor's to keep.",
                    ),
                    (
                        "No: counselors may not have personal online relationships with current clients",
                        True,
                        "Right: it is a red flag, and you can say no, raise it or report it.",
                    ),
                    (
                        "Yes, once therapy has lasted a year",
                        False,
                        "No length of therapy makes it acceptable while you are a client.",
                    ),
                ],
                "US: ACA A.5.e bars personal virtual relationships with current clients, including on "
                "social media.",
                (BOUNDARIES, "can-my-therapist-follow-me-or-friend-me-on-social-media"),
            ),
            (
                S,
                "Under the US psychologists' code (APA), how long must a psychologist wait before any sexual "
                "relationship with a former client?",
                [
                    ("Six months", False, ""),
                    ("At least two years, and even then only in the most unusual circumstances", True, ""),
                    ("No wait is needed once therapy has ended", False, ""),
                ],
                "US: APA 10.08: not for at least two years, and after that only in the most unusual "
                "circumstances, with the psychologist having to show there is no exploitation.",
                (BOUNDARIES, "what-about-after-therapy-has-ended"),
            ),
            (
                S,
                "A counselor's client finished therapy three years ago. They meet again by chance and "
                "want to start dating. Under the US counselors' code (ACA, 2014), may they?",
                [
                    (
                        "Yes: two years have passed",
                        False,
                        "Two years was the rule in the 1995 code; it is five now.",
                    ),
                    (
                        "No: not until five years after the last professional contact, and then only "
                        "with written documentation that it is not exploitative",
                        True,
                        "Right: that is the US counselors' rule, ACA A.5.c.",
                    ),
                    (
                        "Yes, if the former client suggests it",
                        False,
                        "Who suggests it makes no difference to the rule.",
                    ),
                ],
                "US: ACA A.5.c: five years, and after that the counselor must document in writing that "
                "the relationship is not exploitative.",
                (BOUNDARIES, "what-about-after-therapy-has-ended"),
            ),
            (
                S,
                "Does the US social work code (NASW) set a fixed waiting period before a social "
                "worker may have a sexual relationship with a former client?",
                [
                    ("Yes, two years", False, ""),
                    ("Yes, five years", False, ""),
                    (
                        "No: they should not, and one who claims extraordinary circumstances carries the "
                        "full burden",
                        True,
                        "",
                    ),
                ],
                "US: NASW 1.09(c) sets no fixed period for sexual activity with a former client. Social "
                "workers should not, and the burden is entirely on the social worker.",
                (BOUNDARIES, "what-about-after-therapy-has-ended"),
            ),
            (
                S,
                "Three months into therapy, your therapist tells you for the first time that there "
                "are things they would have to report. Under US codes, when should they have "
                "explained the limits of confidentiality?",
                [
                    (
                        "Only when a problem comes up",
                        False,
                        "Waiting leaves you deciding what to say without knowing the limits.",
                    ),
                    (
                        "At the start of therapy",
                        True,
                        "Right: so that you know the limits before you decide what to share.",
                    ),
                    (
                        "Never: what you say in therapy is always confidential",
                        False,
                        "Confidentiality has limits, such as a legal duty to report suspected child abuse.",
                    ),
                ],
                "US: APA 4.02 and ACA B.1.d ask therapists to explain the limits of confidentiality at "
                "the outset.",
                (BOUNDARIES, "can-a-therapist-tell-anyone-what-i-say"),
            ),
            (
                S,
                "What did the California Supreme Court's 1976 Tarasoff decision establish?",
                [
                    (
                        "A duty to protect a person threatened by a client",
                        True,
                        "Reasonable care, which may include a warning.",
                    ),
                    ("That therapists may never break confidentiality", False, ""),
                    (
                        "A law for the whole United States requiring therapists to call the police",
                        False,
                        "Tarasoff is a California ruling; states differ.",
                    ),
                ],
                "The 1974 ruling created a duty to warn; the 1976 rehearing recast it as a duty to "
                "protect. Other states take different approaches.",
                (BOUNDARIES, "what-is-the-duty-to-protect"),
            ),
            (
                M,
                "Which of these are red flags in a therapist? Choose all that apply.",
                [
                    ("Asking you to keep your sessions secret", True, ""),
                    ("Offering you a job in their business", True, ""),
                    ("Explaining fees and confidentiality at the start", False, "That is good practice."),
                    (
                        "Asking from time to time whether therapy is helping",
                        False,
                        "Reviewing progress is good practice.",
                    ),
                ],
                "Secrecy and business or social dealings with a client are warning signs; clear "
                "information and regular reviews are what good therapists do.",
                (CRY, "what-are-red-flags-in-a-therapist"),
            ),
            (
                S,
                "You believe your psychologist, licensed in a US state, behaved unethically, and you "
                "want their licence looked at. Where do you complain?",
                [
                    (
                        "To the licensing board of the state where they are licensed",
                        True,
                        "Right: only a state board can restrict or remove a licence.",
                    ),
                    (
                        "To the American Psychological Association",
                        False,
                        "It can at most expel a member, and now takes complaints only when there is "
                        "nowhere else to bring them.",
                    ),
                    (
                        "To the therapist's insurer",
                        False,
                        "An insurer has no say over a licence.",
                    ),
                ],
                "In the US, complain to the licensing board of the state where the therapist is "
                "licensed; a professional association cannot remove a licence.",
                (CRY, "what-can-i-do-if-i-think-my-therapist-has-behaved-unethically"),
            ),
        ],
    },
    {
        "slug": "psychologist-psychiatrist-or-therapist",
        "title": "Psychologist, psychiatrist or therapist?",
        # A learning quiz: each answer's result and explanation straight after it.
        "pace": Pace.LEARNING,
        "description": "Eight questions on who does what: training, licences, prescribing and titles.",
        "topics": ["kinds-of-therapist"],
        "questions": [
            (
                TF,
                "“Therapist” is a licence in its own right.",
                true_false(False, "", "It is an umbrella word."),
                "“Therapist” covers psychologists, psychiatrists, counselors, social workers and "
                "family therapists, each with their own licence.",
                (KINDS, "what-does-therapist-actually-mean"),
            ),
            (
                S,
                "Your family doctor suggests you see someone who can both assess you and, if it "
                "helps, prescribe medication. Which of these is a medical doctor?",
                [
                    ("A psychologist", False, "Psychologists usually hold a doctorate, but not in medicine."),
                    (
                        "A psychiatrist",
                        True,
                        "Right: a doctor who trained in psychiatry after medical school, and prescribes.",
                    ),
                    (
                        "A licensed clinical social worker",
                        False,
                        "A master's in social work and supervised practice; not a medical degree.",
                    ),
                    (
                        "A licensed professional counselor",
                        False,
                        "A master's degree and a licence to counsel; not a medical degree.",
                    ),
                ],
                "A psychiatrist is a medical doctor (MD or DO) with specialist training in psychiatry. "
                "In some US states, psychologists with extra training may prescribe too.",
                (KINDS, "what-is-a-psychiatrist"),
            ),
            (
                S,
                "In most US states, what degree does a licensed psychologist hold?",
                [
                    ("A bachelor's degree", False, ""),
                    ("A master's degree", False, ""),
                    ("A doctorate (PhD, PsyD or EdD)", True, ""),
                ],
                "In most states, US psychologists hold a doctoral degree and a state licence; a few, "
                "such as Vermont, also license psychologists with a master's degree.",
                (KINDS, "what-is-a-psychologist"),
            ),
            (
                S,
                "Which skill is most distinctive of psychologists?",
                [
                    ("Prescribing medication", False, "Only in some states, with extra training."),
                    ("Psychological testing", True, ""),
                    ("Family-systems therapy", False, "That is the focus of marriage and family therapists."),
                ],
                "Psychological testing, such as assessments of memory, attention or learning "
                "difficulties, is the psychologist's distinctive skill.",
                (KINDS, "what-is-a-psychologist"),
            ),
            (
                S,
                "Which US state was the first to let specially trained psychologists prescribe?",
                [
                    ("California", False, ""),
                    ("New Mexico", True, "In 2002."),
                    ("New York", False, ""),
                    ("Texas", False, ""),
                ],
                "New Mexico was the first, in 2002. By 2024 at least seven states allowed it: "
                "Louisiana, Illinois, Iowa, Idaho, Colorado and Utah followed.",
                (KINDS, "can-psychologists-prescribe-medication"),
            ),
            (
                M,
                "In many US states, which of these can diagnose mental health conditions? Choose "
                "all that apply.",
                [
                    ("Psychiatrists", True, ""),
                    ("Psychologists", True, ""),
                    ("Licensed clinical social workers", True, "In many states."),
                    ("Anyone who calls themselves a therapist", False, "“Therapist” is not a licence."),
                ],
                "Psychiatrists and psychologists diagnose; in many states licensed counselors, "
                "clinical social workers and family therapists can too. State law sets the scope.",
                (KINDS, "who-can-diagnose-a-mental-health-condition"),
            ),
            (
                TF,
                "In the UK, the title “clinical psychologist” is protected by law.",
                true_false(
                    True,
                    "Yes: only people on the HCPC's register may use it.",
                    "It is one of the nine psychologist titles the HCPC protects.",
                ),
                "UK: the HCPC protects nine psychologist titles, such as “clinical psychologist”. "
                "“Counsellor”, “psychotherapist” and “therapist” are not protected; many counsellors "
                "join voluntary registers such as BACP or UKCP.",
                (KINDS, "how-do-these-titles-work-in-the-uk"),
            ),
            (
                S,
                "Before a first session, you want to check that a US counselor really holds a "
                "licence. What do you do?",
                [
                    (
                        "Look them up with the state licensing board, online",
                        True,
                        "Right: boards let anyone check a licence.",
                    ),
                    (
                        "Ask the American Psychological Association to confirm it",
                        False,
                        "Licences are granted by state boards, not by associations.",
                    ),
                    (
                        "Trust the certificates on their office wall",
                        False,
                        "A certificate can be out of date; the board's record is the check.",
                    ),
                ],
                "Licences are state matters in the US: the board's online search says whether a "
                "licence is current.",
                (KINDS, "how-can-i-check-a-therapists-qualifications"),
            ),
        ],
    },
]


def load_quizzes() -> list[str]:
    """Add the demo quizzes that are missing; returns what was done, a line each.

    A question whose section is gone (an editor changed or replaced the demo article) is left out
    with a line saying so; a quiz left with no questions is not added. Each quiz is added whole or
    not at all.
    """
    report, added, there = [], 0, 0
    for data in QUIZZES:
        if Quiz.objects.filter(slug=data["slug"]).exists():
            there += 1
            continue
        with transaction.atomic():
            quiz, skipped = _quiz_create(data)
        report += skipped
        added += quiz is not None
    skipped = len(QUIZZES) - added - there
    report.insert(0, f"Demo quizzes: {added} added, {there} already there, {skipped} skipped.")
    return report


def _quiz_create(data):
    quiz = Quiz.objects.create(
        slug=data["slug"],
        title=data["title"],
        description=data["description"],
        pace=data.get("pace", Pace.TEST),
    )
    quiz.topics.set(Topic.objects.filter(slug__in=data["topics"]))
    skipped = []
    for position, (kind, prompt, choices, explanation, (article, anchor)) in enumerate(
        data["questions"], start=1
    ):
        section = Section.objects.filter(article__slug=article, anchor=anchor).first()
        if section is None:
            skipped.append(
                f"Skipped a question of the demo quiz “{quiz}”: the article “{article}” has no "
                f"section #{anchor} (it was changed or replaced). The question: {prompt}"
            )
            continue
        question = Question.objects.create(
            quiz=quiz,
            kind=kind,
            prompt=prompt,
            explanation=explanation,
            section=section,
            position=position,
        )
        Choice.objects.bulk_create(
            Choice(question=question, text=text, is_correct=ok, note=note, position=n)
            for n, (text, ok, note) in enumerate(choices, start=1)
        )
    if not quiz.active_questions().exists():
        transaction.set_rollback(True)
        return None, [f"Skipped the demo quiz “{quiz}”: none of the sections its questions test exist."]
    quizzes_set_status(quizzes=Quiz.objects.filter(pk=quiz.pk), status=Quiz.Status.PUBLISHED)
    return quiz, skipped
