#!/usr/bin/python3
"""xml_oracle.py - parse AWS XML response bodies with botocore's own parser.

The reference that kensa's XML decoder (providers/aws/awsxml.c) is tested
against: for each (service, operation, file) given, the body is parsed exactly
as botocore parses a 200 response (botocore.parsers with the service model from
botocore.loaders, plus the after-call handlers that reshape these outputs:
IAM's policy documents are URL-decoded JSON, S3 GetBucketLocation reads the
root's text), then ResponseMetadata is dropped, timestamps become RFC 3339 UTC
strings (fractional seconds only when not zero, trailing zeros dropped) and
blobs go back to base64 text, which is what kensa keeps.

Usage: xml_oracle.py SERVICE OPERATION FILE [SERVICE OPERATION FILE ...]
Prints one JSON line per file, in order: {"ok": true, "output": {...}} or
{"ok": false, "error": "..."} when botocore refuses the body.
Exit status 3 when botocore cannot be imported (the caller reports it).

Run with Debian's /usr/bin/python3 (python3-botocore). Its models are older
than AWS's current API; MODEL_ADDITIONS adds the few newer members kensa reads,
with the definitions current botocore models give them.
"""
import base64
import copy
import datetime
import json
import sys
import types

try:
    import botocore
    import botocore.handlers
    import botocore.loaders
    import botocore.model
    import botocore.parsers
except ImportError as e:  # pragma: no cover - reported by the C test
    print(f"xml_oracle: botocore is not importable by {sys.executable}: {e}", file=sys.stderr)
    sys.exit(3)

MODEL_ADDITIONS = {
    # service: {shape: {member: definition}}, new shapes under "__shapes__"
    "s3": {
        "ListBucketsOutput": {"ContinuationToken": {"shape": "NextToken"},
                              "Prefix": {"shape": "Prefix"}},
        "Bucket": {"BucketRegion": {"shape": "BucketRegion"}},
        "__shapes__": {"NextToken": {"type": "string"}, "Prefix": {"type": "string"},
                       "BucketRegion": {"type": "string"}},
    },
    "ec2": {
        "DescribeImagesResult": {"NextToken": {"shape": "String", "locationName": "nextToken"}},
    },
}

_loader = botocore.loaders.create_loader()
_models = {}


def service_model(service):
    if service not in _models:
        data = copy.deepcopy(_loader.load_service_model(service, "service-2"))
        adds = MODEL_ADDITIONS.get(service, {})
        for name, shape in adds.get("__shapes__", {}).items():
            data["shapes"].setdefault(name, shape)
        for shape, members in adds.items():
            if shape != "__shapes__":
                for member, definition in members.items():
                    data["shapes"][shape]["members"].setdefault(member, definition)
        _models[service] = botocore.model.ServiceModel(data, service_name=service)
    return _models[service]


def rfc3339(dt):
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    dt = dt.astimezone(datetime.timezone.utc)
    s = (f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T"
         f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}")
    if dt.microsecond:
        s += (".%06d" % dt.microsecond).rstrip("0")
    return s + "Z"


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return rfc3339(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def parse(service, operation, body):
    model = service_model(service)
    op = model.operation_model(operation)
    parser = botocore.parsers.create_parser(model.metadata["protocol"])
    response = {"body": body, "headers": {}, "status_code": 200}
    parsed = parser.parse(response, op.output_shape)
    if service == "iam":
        botocore.handlers.json_decode_policies(parsed, op)
    if service == "s3" and operation == "GetBucketLocation":
        http = types.SimpleNamespace(raw=object(), content=body)
        botocore.handlers.parse_get_bucket_location(parsed, http)
    parsed.pop("ResponseMetadata", None)
    return plain(parsed)


def main(argv):
    if len(argv) < 3 or len(argv) % 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: xml_oracle.py SERVICE OPERATION FILE [...]", file=sys.stderr)
        return 2
    for i in range(0, len(argv), 3):
        service, operation, path = argv[i:i + 3]
        try:
            with open(path, "rb") as f:
                body = f.read()
            # botocore hands back raw XML nodes for some malformed bodies: not JSON
            line = json.dumps({"ok": True, "output": parse(service, operation, body)},
                              sort_keys=True)
        except Exception as e:  # botocore refusing a body is a result, not a crash
            line = json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"[:500]})
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
