#!/usr/bin/python3
"""oracle.py - sign requests with botocore, the independent SigV4 implementation
kensa's signer is checked against (tests/unit/net/test_sigv4.c).

Reads JSON on stdin: one request object or an array of them. Each request:
  {"method": "GET", "url": "https://host/path?query",
   "headers": [["Name", "value"], ...],      # repeated names allowed, in order
   "body_hex": "", "region": "us-east-1", "service": "ec2",
   "signer": "v4" | "s3v4",                  # SigV4Auth or S3SigV4Auth
   "now": 1440938160,                        # whole seconds since the epoch
   "access_key": "...", "secret_key": "...", "token": null | "...",
   "unsigned_payload": false}
Writes one JSON object per request and line: the headers botocore added
(Authorization, X-Amz-Date, X-Amz-Content-SHA256, X-Amz-Security-Token, when
present) and "canonical_request" for diagnosing a mismatch.

Run with Debian's /usr/bin/python3 (python3-botocore). Exit status 3 when
botocore cannot be imported, 2 on malformed input.
"""
import datetime
import json
import sys
import types

try:
    from botocore.auth import S3SigV4Auth, SigV4Auth
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.config import Config
    from botocore.credentials import Credentials
except ImportError as exc:
    sys.stderr.write("oracle.py: botocore is not installed for %s (%s); "
                     "scripts/bootstrap installs python3-botocore\n" % (sys.executable, exc))
    sys.exit(3)


class FrozenClock(datetime.datetime):
    """botocore.auth reads the time from datetime.datetime.utcnow(): pin it."""
    frozen = None

    @classmethod
    def utcnow(cls):
        return cls.frozen


# Only the name botocore.auth looks up is replaced, in botocore.auth alone.
botocore.auth.datetime = types.SimpleNamespace(datetime=FrozenClock)

OUT_HEADERS = ("Authorization", "X-Amz-Date", "X-Amz-Content-SHA256", "X-Amz-Security-Token")


def recording(base):
    class Recording(base):
        last_canonical = None

        def canonical_request(self, request):
            cr = super().canonical_request(request)
            self.last_canonical = cr
            return cr
    return Recording


def sign(r):
    req = AWSRequest(method=r["method"], url=r["url"], data=bytes.fromhex(r.get("body_hex", "")))
    for name, value in r.get("headers", []):
        req.headers[name] = value  # an email.message: assignment appends, so repeats stay
    creds = Credentials(r["access_key"], r["secret_key"], r.get("token"))
    unsigned = bool(r.get("unsigned_payload"))
    if r.get("signer", "v4") == "s3v4":
        req.context["client_config"] = Config(s3={"payload_signing_enabled": not unsigned})
        signer = recording(S3SigV4Auth)(creds, r["service"], r["region"])
    else:
        if unsigned:
            req.context["payload_signing_enabled"] = False
        signer = recording(SigV4Auth)(creds, r["service"], r["region"])
    now = datetime.datetime.fromtimestamp(int(r["now"]), datetime.timezone.utc)
    FrozenClock.frozen = FrozenClock(*now.timetuple()[:6])
    signer.add_auth(req)
    out = {k: req.headers[k] for k in OUT_HEADERS if k in req.headers}
    out["canonical_request"] = signer.last_canonical
    return out


def main():
    try:
        doc = json.load(sys.stdin)
    except ValueError as exc:
        sys.stderr.write("oracle.py: stdin is not JSON: %s\n" % exc)
        return 2
    for r in doc if isinstance(doc, list) else [doc]:
        sys.stdout.write(json.dumps(sign(r), ensure_ascii=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
