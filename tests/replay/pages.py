"""pages.py - chain numbered fixture pages with pagination tokens the server issues itself.

A fixture author writes DescribeInstances.1.xml, .2.xml, .3.xml without any
token; the server writes the operation's output token (nextToken, Marker,
NextMarker, NextContinuationToken, ... as botocore's paginator model names it)
into every page but the last, sets the "more results" flag (IsTruncated,
Truncated) where the operation has one, and accepts only the token it issued
for the next page. Tokens deliberately contain '/', '+' and '=' (as AWS's
base64 tokens do), so a client that forgets to percent-encode them in a query
string or in its canonical request fails here as it would against AWS.
"""

import hashlib
import json
import re


class PageError(Exception):
    """An input token the server did not issue for this call."""


def token_for(variant, page):
    digest = hashlib.sha256(variant.rel.encode("utf-8")).hexdigest()[:12]
    return f"kr/{digest}+p{page}=="


def page_of(variant, token):
    """The page number a token issued for `variant` points at, or None."""
    m = re.match(r"^kr/([0-9a-f]{12})\+p(\d{1,4})==$", token or "")
    if not m or token_for(variant, int(m.group(2))) != token:
        return None
    return int(m.group(2))


def input_token_names(svc, op):
    """Wire names of the operation's input token(s) and limit key, to leave out of matching."""
    pag = svc.paginator(op)
    if pag is None:
        return []
    names = [svc.input_wire_name(op, t) for t in pag.input_tokens]
    if pag.limit_key:
        names.append(svc.input_wire_name(op, pag.limit_key))
    return names


def select_page(svc, op, variant, params, repeat=False):
    """The page a call asks for (1 when it sends no token); raises PageError on a foreign token.

    With `repeat` (the repeat_token fault) every call gets page 1 and the same
    next-page token, so a client that does not notice the loop never ends.
    """
    pag = svc.paginator(op)
    if pag is None or not pag.input_tokens:
        return 1
    sent = params.get(svc.input_wire_name(op, pag.input_tokens[0]))
    if sent in (None, ""):
        return 1
    if repeat and sent == token_for(variant, 2):
        return 1
    page = page_of(variant, sent)
    if page is None or page < 2 or page > variant.page_count():
        raise PageError(sent)
    return page


def _xml_container(svc, op, data):
    if svc.protocol == "query":
        return op + "Result"
    if svc.protocol == "ec2":
        return op + "Response"
    m = re.search(rb"<([A-Za-z_][\w.-]*)[\s>/]", re.sub(rb"<[?!][^>]*>", b"", data))
    return m.group(1).decode() if m else None


def _strip_element(data, name):
    n = re.escape(name.encode())
    return re.sub(rb"\s*<" + n + rb"(\s[^>]*)?>.*?</" + n + rb">|\s*<" + n + rb"\s*/>", b"",
                  data, flags=re.S)


def _insert_xml(data, container, elements):
    close = f"</{container}>".encode()
    at = data.rfind(close)
    if at < 0:
        raise ValueError(f"no closing </{container}> to put the pagination token in")
    line_start = data.rfind(b"\n", 0, at) + 1
    indent = data[line_start:at]
    if line_start and not indent.strip():
        # the closing tag starts its own line: add indented lines so the body stays readable
        ins = b"".join(indent + b"  " + f"<{k}>{v}</{k}>\n".encode() for k, v in elements)
        return data[:line_start] + ins + data[line_start:]
    ins = b"".join(f"<{k}>{v}</{k}>".encode() for k, v in elements)
    return data[:at] + ins + data[at:]


def render(svc, op, variant, page, repeat=False):
    """The body of `page`, with the next-page token and more-results flag set."""
    _where, data, ext = variant.page(page)
    pag = svc.paginator(op)
    if pag is None or not pag.output_tokens:
        return data
    last = page >= variant.page_count() and not repeat
    nxt = None if last else token_for(variant, 2 if repeat else page + 1)
    tokens = [svc.output_wire_name(op, t) for t in pag.output_tokens]
    more = svc.output_wire_name(op, pag.more_results) if pag.more_results else None
    if ext == "json":
        doc = json.loads(data.decode("utf-8"))
        for t in tokens:
            doc.pop(t, None)
            if nxt is not None:
                doc[t] = nxt
        if more:
            doc[more] = not last
        return json.dumps(doc, indent=2).encode("utf-8")
    for t in tokens:
        data = _strip_element(data, t)
    if more:
        data = _strip_element(data, more)
    elements = []
    if more:
        elements.append((more, "false" if last else "true"))
    if nxt is not None:
        elements.extend((t, nxt) for t in tokens)
    if elements:
        data = _insert_xml(data, _xml_container(svc, op, data), elements)
    return data
