"""Reading pages in tests, as a browser would see them."""

from bs4 import BeautifulSoup


def soup(response):
    """The page of a response (or HTML text) as a parsed document."""
    content = response if isinstance(response, (str, bytes)) else response.content
    return BeautifulSoup(content, "html.parser")


def text(response):
    """The words of a page, as a reader sees them (tags gone, white space folded)."""
    return soup(response).get_text(" ", strip=True)


def form_data(form):
    """What a browser would post for a parsed <form> as it stands (no button pressed)."""
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        kind = field.get("type", "text")
        if not name or field.has_attr("disabled") or kind in ("submit", "button", "file"):
            continue
        if kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.name == "select":
            selected = [
                o.get("value", o.get_text()) for o in field.find_all("option") if o.has_attr("selected")
            ]
            data[name] = selected if field.has_attr("multiple") else (selected[:1] or [""])
        elif field.name == "textarea":
            data[name] = [field.get_text().removeprefix("\n")]
        else:
            data.setdefault(name, []).append(field.get("value", ""))
    return data


def form_encode(value):
    """A form field's value as a browser sends it (the WHATWG URL-encoded serializer): line breaks
    as CRLF, letters, digits and `*-._` as they are, a space as `+`, every other UTF-8 byte as
    `%XX` (Python's own quote leaves `~` and escapes `*`)."""
    from urllib.parse import quote_plus

    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    return quote_plus(value, safe="*").replace("~", "%7E")


def browser_post(client, url, data):
    """Post `data` as a browser posts a form without files, URL-encoded (the test client's own
    post is multipart, which sends text as it is)."""
    body = "&".join(
        f"{form_encode(name)}={form_encode(value)}"
        for name, values in data.items()
        for value in (values if isinstance(values, list) else [values])
    )
    return client.post(url, body, content_type="application/x-www-form-urlencoded")
