"""sigcheck.py - check a request's AWS Signature Version 4 by recomputing it with botocore.

The point of the replay server is that kensa's signer is judged by an
implementation nobody here wrote. So the canonical request, string to sign and
signature all come from botocore's SigV4Auth / S3SigV4Auth, fed with exactly what
arrived on the wire: the request's own X-Amz-Date, the headers it says it signed,
its path and query, and the SHA-256 of the body it actually sent.

Two deliberate departures from botocore's client-side defaults, both matching
what AWS does on the server side:
  - only the headers named in SignedHeaders are signed (botocore's client would
    sign every header it set);
  - the query string is decoded and re-encoded canonically (AWS canonicalises
    what it receives; it does not trust the client's encoding), and for every
    service but S3 the payload hash is recomputed from the body, whatever an
    X-Amz-Content-SHA256 header claims.
"""

import hashlib
import hmac
import re
from urllib.parse import unquote, urlsplit

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

_AUTH_PREFIX = "AWS4-HMAC-SHA256"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_AMZ_DATE = re.compile(r"^\d{8}T\d{6}Z$")


class AuthFailure(Exception):
    """A request that cannot be authenticated. `condition` names a dialect.CONDITIONS row."""

    def __init__(self, condition, detail="", state="bad", extra=None):
        super().__init__(detail)
        self.condition = condition
        self.detail = detail
        self.state = state  # what the request log records as "signature"
        self.extra = extra or {}


class Scope:
    """The parsed Authorization header."""

    def __init__(self, access_key_id, date, region, service, signed_headers, signature):
        self.access_key_id = access_key_id
        self.date = date
        self.region = region
        self.service = service
        self.signed_headers = signed_headers
        self.signature = signature


def parse_authorization(value):
    """Scope of an `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header.

    Raises AuthFailure(incomplete_signature) the way AWS answers a malformed one.
    """
    if not value.startswith(_AUTH_PREFIX + " "):
        raise AuthFailure("incomplete_signature",
                          f"Unsupported Authorization Type; expected {_AUTH_PREFIX}",
                          state="malformed")
    fields = {}
    for part in value[len(_AUTH_PREFIX):].split(","):
        k, sep, v = part.strip().partition("=")
        if sep:
            fields[k] = v
    for need in ("Credential", "SignedHeaders", "Signature"):
        if need not in fields:
            raise AuthFailure("incomplete_signature",
                              f"Authorization header requires '{need}' parameter.",
                              state="malformed")
    cred = fields["Credential"].split("/")
    if len(cred) != 5 or cred[4] != "aws4_request":
        raise AuthFailure("incomplete_signature",
                          "Credential should be scoped to a valid region, service and "
                          "terminated by 'aws4_request'.", state="malformed")
    return Scope(cred[0], cred[1], cred[2], cred[3],
                 [h for h in fields["SignedHeaders"].split(";") if h], fields["Signature"])


def scope_of(headers):
    """The Scope of a request, or None when it carries no SigV4 Authorization header."""
    auth = headers.get("authorization")
    if auth is None:
        return None
    return parse_authorization(auth.strip())


def _query_pairs(raw_query):
    """Decoded (key, value) pairs of a raw query string, in order ('+' stays '+')."""
    pairs = []
    for part in raw_query.split("&"):
        if part:
            k, _, v = part.partition("=")
            pairs.append((unquote(k), unquote(v)))
    return pairs


class _SignedOnly:
    """Mixin: sign exactly the headers the request listed in SignedHeaders."""

    def __init__(self, credentials, service, region, signed):
        super().__init__(credentials, service, region)
        self._signed = signed

    def headers_to_sign(self, request):
        return self._signed


class _Verifier(_SignedOnly, SigV4Auth):
    pass


class _S3Verifier(_SignedOnly, S3SigV4Auth):
    pass


class Verified:
    """What a successful check found (and what a failed one computed, for AWS's error body)."""

    def __init__(self, scope, canonical_request, string_to_sign):
        self.scope = scope
        self.canonical_request = canonical_request
        self.string_to_sign = string_to_sign


def verify(scope, method, raw_path, raw_query, header_items, body, secret, scheme="http"):
    """Check the request's signature; returns Verified or raises AuthFailure.

    header_items: every (name, value) received, repeated names included.
    `scope` comes from parse_authorization; `secret` is the scenario's secret key
    for scope.access_key_id. s3 and s3-control (both sign as "s3") use S3's rules.
    """
    lower = {}
    for name, value in header_items:
        lower.setdefault(name.lower(), []).append(value)
    amz_date = (lower.get("x-amz-date") or [None])[0]
    if amz_date is None:
        raise AuthFailure("incomplete_signature",
                          "Authorization header requires existence of either a 'X-Amz-Date' "
                          "or a 'Date' header.", state="malformed")
    if not _AMZ_DATE.match(amz_date):
        raise AuthFailure("incomplete_signature",
                          f"X-Amz-Date must be in ISO 8601 basic format, got '{amz_date}'",
                          state="malformed")
    if scope.date != amz_date[:8]:
        raise AuthFailure("signature",
                          f"Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                          f"version of date from HTTP: '{scope.date}' != '{amz_date[:8]}'")
    if "host" not in scope.signed_headers:
        raise AuthFailure("signature", "'Host' must be a signed header")

    signed = HTTPHeaders()
    for h in scope.signed_headers:
        for value in lower.get(h, []):
            signed[h] = value
        if h not in lower:
            signed[h] = ""  # signs as empty, so the signature cannot match
    is_s3 = scope.service == "s3"
    headers = {}
    if is_s3:
        sha = (lower.get("x-amz-content-sha256") or [None])[0]
        if sha is None:
            raise AuthFailure("bad_request",
                              "Missing required header for this request: x-amz-content-sha256",
                              state="malformed")
        if _HEX64.match(sha) and sha != hashlib.sha256(body).hexdigest():
            raise AuthFailure("content_sha_mismatch",
                              "The provided 'x-amz-content-sha256' header does not match what "
                              "was computed.")
        headers["X-Amz-Content-SHA256"] = sha
    request = AWSRequest(method=method, url=f"{scheme}://replay{raw_path}", headers=headers,
                         data=body, params=_query_pairs(raw_query))
    request.context["timestamp"] = amz_date
    creds = Credentials(scope.access_key_id, secret)
    cls = _S3Verifier if is_s3 else _Verifier
    auth = cls(creds, scope.service, scope.region, signed)
    canonical = auth.canonical_request(request)
    sts = auth.string_to_sign(request, canonical)
    expected = auth.signature(sts, request)
    if not hmac.compare_digest(expected, scope.signature):
        raise AuthFailure("signature", "signature mismatch", extra={
            "canonical_request": canonical, "string_to_sign": sts})
    return Verified(scope, canonical, sts)


def split_target(raw_target):
    """The scheme-less (path, query) of a request line's target (origin or absolute form)."""
    if raw_target.startswith("http://") or raw_target.startswith("https://"):
        parts = urlsplit(raw_target)
        return parts.path or "/", parts.query
    path, _, query = raw_target.partition("?")
    return path or "/", query
