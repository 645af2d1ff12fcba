"""dialect.py - AWS error bodies and content types, as each protocol family spells them.

Five families cover every service the replay server routes: ec2 (EC2's own
query dialect), query (IAM, STS, RDS), rest-xml (S3, S3 Control), json (KMS,
CloudTrail, Logs, Config) and rest-json (GuardDuty, Security Hub, Backup,
Account). The same condition (a bad signature, throttling, a denied call) has a
different status, code and body in each; the tables below are what AWS sends.
"""

import json
from xml.sax.saxutils import escape

FAMILIES = ("ec2", "query", "rest-xml", "json", "rest-json")

SIG_MSG = ("The request signature we calculated does not match the signature you provided. "
           "Check your AWS Secret Access Key and signing method. Consult the service documentation "
           "for details.")
S3_SIG_MSG = ("The request signature we calculated does not match the signature you provided. "
              "Check your key and signing method.")
BAD_TOKEN_MSG = "The security token included in the request is invalid."
EXPIRED_MSG = "The security token included in the request is expired"

# condition -> family -> (HTTP status, code, message). "{op}", "{svc}", "{account}"
# are filled in per call.
CONDITIONS = {
    "signature": {
        "ec2": (403, "SignatureDoesNotMatch", SIG_MSG),
        "query": (403, "SignatureDoesNotMatch", SIG_MSG),
        "rest-xml": (403, "SignatureDoesNotMatch", S3_SIG_MSG),
        "json": (400, "InvalidSignatureException", SIG_MSG),
        "rest-json": (403, "InvalidSignatureException", SIG_MSG),
    },
    "missing_auth": {
        "ec2": (403, "MissingAuthenticationToken", "Request is missing Authentication Token"),
        "query": (403, "MissingAuthenticationToken", "Request is missing Authentication Token"),
        "rest-xml": (403, "AccessDenied", "Access Denied"),
        "json": (400, "MissingAuthenticationTokenException", "Missing Authentication Token"),
        "rest-json": (403, "MissingAuthenticationTokenException", "Missing Authentication Token"),
    },
    "incomplete_signature": {
        "ec2": (400, "IncompleteSignature", "{detail}"),
        "query": (400, "IncompleteSignature", "{detail}"),
        "rest-xml": (400, "AuthorizationHeaderMalformed", "{detail}"),
        "json": (400, "IncompleteSignatureException", "{detail}"),
        "rest-json": (400, "IncompleteSignatureException", "{detail}"),
    },
    "unknown_key": {
        "ec2": (401, "AuthFailure", "AWS was not able to validate the provided access credentials"),
        "query": (403, "InvalidClientTokenId", BAD_TOKEN_MSG),
        "rest-xml": (403, "InvalidAccessKeyId",
                     "The AWS Access Key Id you provided does not exist in our records."),
        "json": (400, "UnrecognizedClientException", BAD_TOKEN_MSG),
        "rest-json": (403, "UnrecognizedClientException", BAD_TOKEN_MSG),
    },
    "bad_token": {
        "ec2": (401, "AuthFailure", "AWS was not able to validate the provided access credentials"),
        "query": (403, "InvalidClientTokenId", BAD_TOKEN_MSG),
        "rest-xml": (400, "InvalidToken", "The provided token is malformed or otherwise invalid."),
        "json": (400, "UnrecognizedClientException", BAD_TOKEN_MSG),
        "rest-json": (403, "UnrecognizedClientException", BAD_TOKEN_MSG),
    },
    "expired_token": {
        "ec2": (403, "ExpiredToken", EXPIRED_MSG),
        "query": (403, "ExpiredToken", EXPIRED_MSG),
        "rest-xml": (400, "ExpiredToken", "The provided token has expired."),
        "json": (400, "ExpiredTokenException", EXPIRED_MSG),
        "rest-json": (403, "ExpiredTokenException", EXPIRED_MSG),
    },
    "throttle": {
        "ec2": (503, "RequestLimitExceeded", "Request limit exceeded."),
        "query": (400, "Throttling", "Rate exceeded"),
        "rest-xml": (503, "SlowDown", "Please reduce your request rate."),
        "json": (400, "ThrottlingException", "Rate exceeded"),
        "rest-json": (429, "TooManyRequestsException", "Rate exceeded"),
    },
    "unavailable": {
        "ec2": (503, "Unavailable", "The server is overloaded and can't handle the request."),
        "query": (503, "ServiceUnavailable", "Service is unable to handle request."),
        "rest-xml": (503, "ServiceUnavailable", "Service is unable to handle request."),
        "json": (503, "ServiceUnavailableException", "Service is unable to handle request."),
        "rest-json": (503, "ServiceUnavailableException", "Service is unable to handle request."),
    },
    "access_denied": {
        "ec2": (403, "UnauthorizedOperation", "You are not authorized to perform this operation."),
        "query": (403, "AccessDenied",
                  "User: arn:aws:iam::{account}:user/kensa-scanner is not authorized to perform: "
                  "{svc}:{op} because no identity-based policy allows the {svc}:{op} action"),
        "rest-xml": (403, "AccessDenied", "Access Denied"),
        "json": (400, "AccessDeniedException",
                 "User: arn:aws:iam::{account}:user/kensa-scanner is not authorized to perform: "
                 "{svc}:{op} because no identity-based policy allows the {svc}:{op} action"),
        "rest-json": (403, "AccessDeniedException",
                      "User: arn:aws:iam::{account}:user/kensa-scanner is not authorized to perform: "
                      "{svc}:{op}"),
    },
    "unknown_operation": {
        "ec2": (400, "InvalidAction", "The action {op} is not valid for this web service."),
        "query": (400, "InvalidAction", "Could not find operation {op} for version {version}"),
        "rest-xml": (405, "MethodNotAllowed",
                     "The specified method is not allowed against this resource."),
        "json": (400, "UnknownOperationException", ""),
        "rest-json": (404, "UnknownOperationException", ""),
    },
    "bad_next_token": {
        "ec2": (400, "InvalidParameterValue", "Invalid value '{detail}' for nextToken"),
        "query": (400, "InvalidInput", "Invalid Marker or NextToken: {detail}"),
        "rest-xml": (400, "InvalidArgument", "The continuation token provided is incorrect"),
        "json": (400, "InvalidNextTokenException", "Invalid pagination token: {detail}"),
        "rest-json": (400, "InvalidNextTokenException", "Invalid pagination token: {detail}"),
    },
    "bad_request": {
        "ec2": (400, "InvalidRequest", "{detail}"),
        "query": (400, "MalformedInput", "{detail}"),
        "rest-xml": (400, "InvalidRequest", "{detail}"),
        "json": (400, "SerializationException", "{detail}"),
        "rest-json": (400, "SerializationException", "{detail}"),
    },
    "content_sha_mismatch": {
        f: (400, "XAmzContentSHA256Mismatch", "{detail}") for f in FAMILIES
    },
    "too_large": {
        "ec2": (413, "RequestEntityTooLarge", "{detail}"),
        "query": (413, "RequestEntityTooLarge", "{detail}"),
        "rest-xml": (400, "EntityTooLarge", "{detail}"),
        "json": (413, "RequestEntityTooLargeException", "{detail}"),
        "rest-json": (413, "RequestEntityTooLargeException", "{detail}"),
    },
    "internal": {
        "ec2": (500, "InternalError", "{detail}"),
        "query": (500, "InternalFailure", "{detail}"),
        "rest-xml": (500, "InternalError", "{detail}"),
        "json": (500, "InternalFailure", "{detail}"),
        "rest-json": (500, "InternalFailure", "{detail}"),
    },
    # Ours, not AWS's: a call the scenario has no response for. HTTP 400 so no
    # client retries it, and a code nobody can mistake for a real answer.
    "no_response": {
        f: (400, "KensaReplayNoResponse", "{detail}") for f in FAMILIES
    },
}


def content_type(family, json_version="1.1", is_json_file=False):
    """The Content-Type AWS sends with a successful body of this family."""
    if family == "ec2":
        return "text/xml;charset=UTF-8"
    if family == "query":
        return "text/xml"
    if family == "rest-xml":
        return "application/json" if is_json_file else "application/xml"
    if family == "json":
        return f"application/x-amz-json-{json_version}"
    return "application/json"


def request_id_headers(family, request_id):
    if family == "rest-xml":
        return [("x-amz-request-id", request_id.replace("-", "")[:16].upper()),
                ("x-amz-id-2", request_id)]
    return [("x-amzn-RequestId", request_id)]


def condition(family, cond, **fill):
    """(status, code, message) for a named condition in one family."""
    status, code, msg = CONDITIONS[cond][family]
    fill.setdefault("detail", "")
    fill.setdefault("op", "")
    fill.setdefault("svc", "")
    fill.setdefault("account", "123456789012")
    fill.setdefault("version", "")
    return status, code, msg.format(**fill)


def guess_family(headers, query_or_form_keys):
    """The family of a request that names no service (no SigV4 credential scope)."""
    if "x-amz-target" in headers:
        return "json"
    if "Action" in query_or_form_keys:
        return "query"
    return "rest-xml"


def error_body(family, status, code, message, request_id, xml_namespace=None,
               json_version="1.1", extra=None):
    """(status, headers, body bytes) of an AWS error response.

    `extra` adds elements after Message (S3's SignatureDoesNotMatch carries
    StringToSign and CanonicalRequest, GetBucketPolicy's NoSuchBucketPolicy the
    BucketName) or members beside "message" in JSON.
    """
    extra = extra or {}
    headers = request_id_headers(family, request_id)
    if family == "ec2":
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
                f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
                + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in extra.items())
                + f"</Error></Errors><RequestID>{request_id}</RequestID></Response>")
        headers.append(("Content-Type", "text/xml;charset=UTF-8"))
    elif family == "query":
        ns = f' xmlns="{xml_namespace}"' if xml_namespace else ""
        kind = "Sender" if status < 500 else "Receiver"
        body = (f"<ErrorResponse{ns}>\n  <Error>\n    <Type>{kind}</Type>\n"
                f"    <Code>{escape(code)}</Code>\n    <Message>{escape(message)}</Message>\n"
                + "".join(f"    <{k}>{escape(str(v))}</{k}>\n" for k, v in extra.items())
                + f"  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n")
        headers.append(("Content-Type", "text/xml"))
    elif family == "rest-xml":
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
                f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
                + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in extra.items())
                + f"<RequestId>{request_id.replace('-', '')[:16].upper()}</RequestId>"
                f"<HostId>{request_id}</HostId></Error>")
        headers.append(("Content-Type", "application/xml"))
    elif family == "json":
        doc = {"__type": code, "message": message}
        doc.update(extra)
        body = json.dumps(doc)
        headers.append(("Content-Type", f"application/x-amz-json-{json_version}"))
    else:
        doc = {"__type": code, "message": message}
        doc.update(extra)
        body = json.dumps(doc)
        headers.append(("x-amzn-ErrorType", code))
        headers.append(("Content-Type", "application/json"))
    return status, headers, body.encode("utf-8")
