from quizzes.services import VISITOR_SESSION_KEY, attempts_claim


def claim_visitor_attempts(sender, request, user, **kwargs):
    """On sign-up or log-in, the quizzes taken in this browser move into the account."""
    session = getattr(request, "session", None)
    if session is not None:
        attempts_claim(user=user, anonymous_key=session.pop(VISITOR_SESSION_KEY, ""))
