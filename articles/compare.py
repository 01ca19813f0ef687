"""What changed between two saved versions (django-reversion) of an article and its sections."""

import difflib

from django.contrib.contenttypes.models import ContentType

from articles.models import Section, Topic

FIELDS = [
    ("title", "Title"),
    ("slug", "Address"),
    ("summary", "Summary"),
    ("status", "Status"),
    ("published_at", "Publication time"),
    ("last_reviewed", "Page last reviewed"),
    ("review_due", "Next review due"),
]


def word_diff(before, after):
    """(operation, text) pieces: "equal", "delete" or "insert", word by word."""
    a, b = str(before or "").split(" "), str(after or "").split(" ")
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            pieces.append(("delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", " ".join(b[j1:j2])))
        if op == "equal":
            pieces.append(("equal", " ".join(a[i1:i2])))
    return pieces


def _sections(version):
    section_type = ContentType.objects.get_for_model(Section)
    rows = [v.field_dict for v in version.revision.version_set.filter(content_type=section_type)]
    article_id = version.field_dict["id"]
    return {row["id"]: row for row in rows if row["article_id"] == article_id}


def _topics(version):
    ids = version.field_dict.get("topics") or []
    return sorted(Topic.objects.filter(pk__in=ids).values_list("name", flat=True))


def compare_versions(older, newer):
    fields = [
        {"label": label, "diff": word_diff(older.field_dict.get(name), newer.field_dict.get(name))}
        for name, label in FIELDS
        if older.field_dict.get(name) != newer.field_dict.get(name)
    ]
    before_topics, after_topics = _topics(older), _topics(newer)
    if before_topics != after_topics:
        fields.append(
            {"label": "Topics", "diff": word_diff(", ".join(before_topics), ", ".join(after_topics))}
        )
    before, after = _sections(older), _sections(newer)
    changed = []
    for pk in sorted(before.keys() & after.keys(), key=lambda pk: after[pk]["position"]):
        a, b = before[pk], after[pk]
        diffs = {
            name: word_diff(a[name], b[name])
            for name in ("question", "answer", "position")
            if a[name] != b[name]
        }
        if diffs:
            changed.append({"question": b["question"], "diffs": diffs})
    return {
        "fields": fields,
        "added": sorted((after[pk] for pk in after.keys() - before.keys()), key=lambda s: s["position"]),
        "removed": sorted((before[pk] for pk in before.keys() - after.keys()), key=lambda s: s["position"]),
        "changed": changed,
    }
