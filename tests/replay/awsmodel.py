"""awsmodel.py - what the replay server needs from botocore's service models.

The server never hard-codes an operation list: botocore's models (the same data
every AWS SDK is generated from) say which protocol a service speaks, how a REST
request path maps to an operation, how each parameter is named on the wire, and
which operations paginate with which token members. This module wraps those
lookups and caches them per service.
"""

import re
import threading
from urllib.parse import unquote

import botocore.session
from botocore.exceptions import DataNotFoundError, UnknownServiceError

# SigV4 credential scopes name the *signing* name; most services sign with their
# botocore name. The few that differ (and that a scan could meet) are listed.
SIGNING_NAME_ALIASES = {
    "monitoring": "cloudwatch",
    "email": "ses",
    "states": "stepfunctions",
}

# S3 Control signs as "s3"; its REST paths all start with this version prefix.
S3CONTROL_PREFIX = "/v20180820/"

_SIMPLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _simple_tokens(expr):
    """Paginator token expressions as a list of plain member names.

    botocore allows JMESPath (`NextMarker || Contents[-1].Key`, `A.B`); the
    server only ever writes plain top-level members, so it keeps the first plain
    alternative of each expression and drops the rest.
    """
    if expr is None:
        return []
    exprs = expr if isinstance(expr, list) else [expr]
    out = []
    for e in exprs:
        for alt in e.split("||"):
            alt = alt.strip()
            if _SIMPLE_NAME.match(alt):
                out.append(alt)
                break
    return out


class Paginator:
    """Token member names of one paginated operation (input side and output side)."""

    def __init__(self, cfg):
        self.input_tokens = _simple_tokens(cfg.get("input_token"))
        self.output_tokens = _simple_tokens(cfg.get("output_token"))
        more = _simple_tokens(cfg.get("more_results"))
        self.more_results = more[0] if more else None
        limit = _simple_tokens(cfg.get("limit_key"))
        self.limit_key = limit[0] if limit else None


class RestRoute:
    """One REST operation's method + path template, compiled to a regex."""

    def __init__(self, op, method, request_uri, input_shape):
        self.op = op
        self.method = method
        path, _, query = request_uri.partition("?")
        self.literal_query = {}
        for part in query.split("&"):
            if part:
                k, _, v = part.partition("=")
                self.literal_query[k] = v
        # uri labels name their member by serialization name
        label_to_member = {}
        if input_shape is not None:
            for name, member in input_shape.members.items():
                if member.serialization.get("location") == "uri":
                    label_to_member[member.serialization.get("name", name)] = name
        self.labels = []
        pattern = "^"
        pos = 0
        for m in re.finditer(r"\{([^}+]+)(\+?)\}", path):
            pattern += re.escape(path[pos:m.start()])
            pattern += "(.+)" if m.group(2) else "([^/]+)"
            self.labels.append(label_to_member.get(m.group(1), m.group(1)))
            pos = m.end()
        tail = path[pos:]
        pattern += re.escape(tail.rstrip("/")) if len(path) > 1 else re.escape(tail)
        pattern += "/?$" if len(path) > 1 else "$"
        self.regex = re.compile(pattern)
        self.literal_len = len(re.sub(r"\{[^}]*\}", "", path))

    def match(self, method, path, query_keys):
        """Label values (decoded) when this route serves the request, else None."""
        if method != self.method:
            return None
        for k, v in self.literal_query.items():
            if k not in query_keys or (v and query_keys[k] != v):
                return None
        m = self.regex.match(path)
        if not m:
            return None
        return {label: unquote(val) for label, val in zip(self.labels, m.groups())}

    def score(self):
        # a route naming a subresource (?policy) or a longer literal path wins
        return (len(self.literal_query), self.literal_len, -len(self.labels))


class Service:
    """One service's model and the lookups the server makes against it."""

    def __init__(self, session, name):
        self.name = name
        self.model = session.get_service_model(name)
        meta = self.model.metadata
        self.protocol = meta["protocol"]
        self.json_version = meta.get("jsonVersion", "1.0")
        self.target_prefix = meta.get("targetPrefix")
        self.xml_namespace = meta.get("xmlNamespace")
        if isinstance(self.xml_namespace, dict):
            self.xml_namespace = self.xml_namespace.get("uri")
        self.signing_name = meta.get("signingName", meta.get("endpointPrefix", name))
        self.operations = set(self.model.operation_names)
        try:
            self._pag = session.get_paginator_model(name)
        except DataNotFoundError:
            self._pag = None
        self._routes = None
        self._lock = threading.Lock()

    def paginator(self, op):
        if self._pag is None:
            return None
        try:
            return Paginator(self._pag.get_paginator(op))
        except ValueError:
            return None

    def routes(self):
        with self._lock:
            if self._routes is None:
                routes = []
                for op in self.model.operation_names:
                    om = self.model.operation_model(op)
                    http = om.http
                    if "requestUri" in http:
                        routes.append(RestRoute(op, http.get("method", "POST"),
                                                http["requestUri"], om.input_shape))
                self._routes = routes
            return self._routes

    def route(self, method, path, query_keys):
        """(operation, {member: label value}) for a REST request, or (None, {})."""
        best = None
        for r in self.routes():
            labels = r.match(method, path, query_keys)
            if labels is not None and (best is None or r.score() > best[0].score()):
                best = (r, labels)
        if best is None:
            return None, {}
        return best[0].op, best[1]

    def rest_params(self, op, labels, query_pairs, headers, body_json):
        """Request parameters of a REST call, keyed by botocore member name.

        Query parameters and headers the model does not name keep their wire
        names, so a fixture variant can still match them.
        """
        om = self.model.operation_model(op)
        shape = om.input_shape
        params = dict(labels)
        by_query, by_header, by_body = {}, {}, {}
        if shape is not None:
            for name, member in shape.members.items():
                ser = member.serialization
                loc = ser.get("location")
                wire = ser.get("name", name)
                if loc == "querystring":
                    by_query[wire] = name
                elif loc == "header":
                    by_header[wire.lower()] = name
                elif loc is None:
                    by_body[wire] = name
        literal = {}
        for r in self.routes():
            if r.op == op:
                literal = r.literal_query
        for k, v in query_pairs:
            if k in literal or k == "x-id":
                continue
            params[by_query.get(k, k)] = v
        for hname, member in by_header.items():
            if hname in headers:
                params[member] = headers[hname]
        if isinstance(body_json, dict):
            for k, v in body_json.items():
                params[by_body.get(k, k)] = v
        return params

    def input_wire_name(self, op, member):
        """How `member` of op's input is named in a query/ec2/json request."""
        shape = self.model.operation_model(op).input_shape
        if shape is None or member not in shape.members:
            return member
        ser = shape.members[member].serialization
        if self.protocol == "ec2":
            if "queryName" in ser:
                return ser["queryName"]
            if "name" in ser:
                return ser["name"][0].upper() + ser["name"][1:]
            return member
        if self.protocol in ("query", "json"):
            return ser.get("name", member)
        return member  # REST params are already keyed by member name

    def output_wire_name(self, op, member):
        """How `member` of op's output is named in the response body."""
        shape = self.model.operation_model(op).output_shape
        if shape is None or member not in shape.members:
            return member
        if self.protocol == "json":
            return member
        return shape.members[member].serialization.get("name", member)

    def output_shape(self, op):
        return self.model.operation_model(op).output_shape


class Models:
    """Loads botocore service models on first use; safe across handler threads."""

    def __init__(self):
        self._session = botocore.session.get_session()
        self._lock = threading.Lock()
        self._services = {}

    def service(self, name):
        """The Service for a botocore service name, or None when botocore has none."""
        with self._lock:
            if name not in self._services:
                try:
                    self._services[name] = Service(self._session, name)
                except (UnknownServiceError, DataNotFoundError):
                    self._services[name] = None
            return self._services[name]

    def for_signing_name(self, signing_name, path):
        """The service a request signed for `signing_name` is meant for."""
        if signing_name == "s3" and path.startswith(S3CONTROL_PREFIX):
            return self.service("s3control")
        return self.service(SIGNING_NAME_ALIASES.get(signing_name, signing_name))
