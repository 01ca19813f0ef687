from articles.services import VOTER_SESSION_KEY, feedback_claim
from quizzes.services import VISITOR_SESSION_KEY, attempts_claim


def claim_visitor_progress(sender, request, user, **kwargs):
    """On sign-up or log-in, what was done in this browser (quizzes, "Was this helpful?" votes)
    moves into the account."""
    session = getattr(request, "session", None)
    if session is not None:
        attempts_claim(user=user, anonymous_key=session.pop(VISITOR_SESSION_KEY, ""))
        feedback_claim(user=user, visitor_key=session.pop(VOTER_SESSION_KEY, ""))
