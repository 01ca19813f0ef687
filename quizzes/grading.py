"""Grading, on the server only. A question is right when the chosen set equals the correct set."""


def is_correct(chosen_ids, asked):
    """True when exactly the correct choices of `asked` (a question as an attempt asked it) were
    chosen: a several-answers question is wrong with one correct choice missing or one extra."""
    return set(chosen_ids) == {c["id"] for c in asked["choices"] if c["correct"]}

