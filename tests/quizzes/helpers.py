from quizzes.models import Attempt


def start(client, quiz):
    """Press "Start" on the quiz's page; returns the reader's open attempt."""
    response = client.post(f"/quizzes/{quiz.slug}/start/")
    assert response.status_code == 302, response
    return Attempt.objects.open().filter(quiz=quiz).latest("pk")


def answer(client, attempt, position, choice_ids):
    """Tick the choices `choice_ids` and save, as the question page does."""
    return client.post(
        f"/attempts/{attempt.pk}/questions/{position}/", {"answer": values(attempt, position, choice_ids)}
    )


def values(attempt, position, choice_ids):
    """What the question page sends for `choice_ids`: their places in the attempt's order (1, 2…)."""
    order = [c["id"] for c in item(attempt, position).asked["choices"]]
    return [str(order.index(i) + 1) for i in choice_ids]


def item(attempt, position):
    return attempt.items.get(position=position)


def right(attempt, position):
    return sorted(item(attempt, position).correct_ids)


def wrong(attempt, position):
    """A wrong choice, the same whatever order the attempt asks them in: the editor's first."""
    asked = item(attempt, position).asked
    return [min(c["id"] for c in asked["choices"] if not c["correct"])]


def answer_all(client, attempt, correct=True):
    for position in range(1, attempt.total + 1):
        choice = right(attempt, position) if correct else wrong(attempt, position)
        assert answer(client, attempt, position, choice).status_code == 302


def finish(client, attempt):
    """Press "Finish" on the check page; returns the response."""
    return client.post(f"/attempts/{attempt.pk}/finish/")


def take(client, quiz, correct=True):
    """Start the quiz, answer every question (all right, or all wrong) and finish; returns the
    finished attempt."""
    attempt = start(client, quiz)
    answer_all(client, attempt, correct=correct)
    assert finish(client, attempt).status_code == 302
    attempt.refresh_from_db()
    return attempt
