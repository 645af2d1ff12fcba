#!/usr/bin/python3
"""server.py - kensa's signature-checking AWS replay server (a test tool, not part of kensa).

Serves a scenario folder (fixtures/aws/<name>/) of recorded AWS responses on one
loopback endpoint for every service, the way AWS would answer: it reads the
SigV4 credential scope to know the service and region, finds the operation as
that service's protocol names it (Action=, X-Amz-Target, or method + path for
REST services), checks the signature by recomputing it with botocore, pages
numbered fixtures with tokens it issues itself, and injects faults on demand.

    /usr/bin/python3 tests/replay/server.py --scenario fixtures/aws/basic [--port 0]
        [--latency-ms N] [--fault SPEC]... [--log FILE] [--tls-cert C --tls-key K]
        [--max-seconds S] [--check] [-v]

Prints "PORT <n>" on stdout once listening. Exits when stdin (a pipe) closes, so
a test driver that dies never leaves it behind, and after --max-seconds anyway.
Needs only the standard library and botocore (Debian's python3-botocore).
tests/replay/README.md describes scenarios and faults.
"""

import argparse
import fnmatch
import json
import os
import re
import socket
import ssl
import stat
import struct
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote_plus

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dialect  # noqa: E402
import lint  # noqa: E402
import pages  # noqa: E402
from awsmodel import Models  # noqa: E402
from faults import FaultError, FaultSet, parse_cli  # noqa: E402
from scenario import Scenario, ScenarioError, match_view  # noqa: E402
from sigcheck import AuthFailure, scope_of, split_target, verify  # noqa: E402

MAX_BODY = 8 << 20
S3_VHOST_MARKERS = (".s3.", ".s3-", ".s3-control.")


class Reply(Exception):
    """Stop handling a call and answer with an AWS error (condition from dialect.CONDITIONS)."""

    def __init__(self, cond, detail="", extra=None, code=None, status=None, message=None,
                 headers=None):
        super().__init__(detail)
        self.cond = cond
        self.detail = detail
        self.extra = extra or {}
        self.code = code            # these three override the dialect's defaults
        self.status = status
        self.message = message
        self.headers = headers or []


class Call:
    """What a request asks for: enough for fault matching and fixture lookup."""

    def __init__(self, service, region, operation, params):
        self.service = service
        self.region = region
        self.operation = operation
        self.params = params
        self.view, _ = match_view(params)


class Context:
    """State shared by every handler thread."""

    def __init__(self, args, scenario, models, faultset):
        self.args = args
        self.scenario = scenario
        self.models = models
        self.faults = faultset
        self.latency_ms = args.latency_ms if args.latency_ms is not None else scenario.latency_ms
        self.lock = threading.Lock()
        self.seq = 0
        self.inflight = 0
        self.log_file = open(args.log, "a", encoding="utf-8") if args.log else None
        self.tls = None
        if args.tls_cert:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(args.tls_cert, args.tls_key)

    def next_seq(self):
        with self.lock:
            self.seq += 1
            self.inflight += 1
            return self.seq

    def done(self):
        with self.lock:
            self.inflight -= 1

    def drain(self, seconds):
        """Wait (bounded) until no request is between its first byte and its log line."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if self.inflight == 0:
                    return
            time.sleep(0.02)

    def log(self, rec):
        line = json.dumps(rec, sort_keys=True, default=str)
        with self.lock:
            if self.log_file:
                self.log_file.write(line + "\n")
                self.log_file.flush()
        if self.args.verbose:
            print(f"replay: {rec.get('status')} {rec.get('service')} {rec.get('region')} "
                  f"{rec.get('operation')} sig={rec.get('signature')} "
                  f"fault={rec.get('fault')}", file=sys.stderr, flush=True)


_SECRET_QUERY = re.compile(r"(?i)\b(X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential)=[^&]*")


def _loggable_path(path):
    """The request target for the log, with any signature, token or credential in it masked."""
    return _SECRET_QUERY.sub(lambda m: m.group(1) + "=***", path)[:512]


def _malform(body, fault):
    if "body" in fault.raw:
        return str(fault.raw["body"]).encode("utf-8")
    cut = max(1, len(body) * 2 // 3)
    if body.lstrip()[:1] in (b"{", b"["):
        return body[:cut] + b'{"kensa-replay": malformed'
    return body[:cut] + b'<kensa-replay-malformed a="&bogus;<'


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "KensaReplay/1"
    sys_version = ""
    timeout = 30

    # ---- plumbing ----

    def setup(self):
        self._reset_on_finish = False
        ctx = self.server.ctx
        if ctx.tls:
            self.request.settimeout(self.timeout)
            self.request = ctx.tls.wrap_socket(self.request, server_side=True)
        super().setup()

    def finish(self):
        try:
            super().finish()
        finally:
            if self._reset_on_finish:
                # SO_LINGER 0 + close sends RST; the server's later shutdown() then fails harmlessly
                self.connection.close()

    def log_message(self, fmt, *args):
        if self.server.ctx.args.verbose:
            sys.stderr.write("replay: " + (fmt % args) + "\n")

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_GET

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = bytearray()
            while True:
                try:
                    size = int(self.rfile.readline(64).split(b";")[0].strip() or b"0", 16)
                except ValueError as e:
                    self.close_connection = True
                    raise Reply("bad_request", "malformed chunked request body") from e
                if size == 0:
                    while self.rfile.readline(1024).strip():
                        pass  # trailers
                    return bytes(out)
                if len(out) + size > MAX_BODY:
                    raise Reply("too_large", f"request body over {MAX_BODY} bytes")
                out += self.rfile.read(size)
                self.rfile.readline(8)
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            n = int(length)
        except ValueError as e:
            raise Reply("bad_request", "Content-Length is not a number") from e
        if n < 0 or n > MAX_BODY:
            self.close_connection = True
            raise Reply("too_large", f"request body over {MAX_BODY} bytes")
        return self.rfile.read(n)

    def _reset(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self._reset_on_finish = True

    def _send(self, status, headers, body, transport):
        t = transport
        if t and t.kind == "stall" and t.where == "before":
            time.sleep(float(t.raw.get("seconds", 5)))
        if t and t.kind == "reset" and t.where == "before":
            self._reset()
            return
        if t and t.kind == "malformed":
            body = _malform(body, t)
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if t and t.kind in ("reset", "truncate"):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return
        if t is None or t.kind == "malformed" or (t.kind == "stall" and t.where == "before"):
            self.wfile.write(body)
            return
        cut = min(len(body), t.raw.get("bytes", len(body) // 2))
        self.wfile.write(body[:cut])
        self.wfile.flush()
        if t.kind == "stall":
            time.sleep(float(t.raw.get("seconds", 5)))
            self.wfile.write(body[cut:])
        elif t.kind == "reset":
            self._reset()
        # truncate: the connection closes after `cut` of the promised bytes

    # ---- one request ----

    def _handle(self):
        ctx = self.server.ctx
        seq = ctx.next_seq()
        t0 = time.monotonic()
        request_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"kensa-replay/{ctx.scenario.name}/{seq}"))
        rec = {"seq": seq, "time": round(time.time(), 3), "method": self.command,
               "path": _loggable_path(self.path), "service": None, "region": None, "operation": None,
               "params": None, "signature": None, "access_key_id": None, "status": None,
               "fault": None, "response": None, "page": None, "error_code": None,
               "user_agent": (self.headers.get("User-Agent") or "")[:120]}
        self._family = None
        self._svc = None
        self._transport = None  # set once faults are chosen: applies to errors too
        try:
            try:
                body = self._read_body()
                status, headers, out = self._serve(rec, body, request_id)
            except Reply as r:
                status, headers, out = self._error(rec, r, request_id)
            rec["status"] = status
            self._send(status, headers, out, self._transport)
        except (BrokenPipeError, ConnectionResetError, TimeoutError) as e:
            rec["client_error"] = type(e).__name__
            self.close_connection = True
        except Exception as e:  # any bug here must answer, not hang the client
            traceback.print_exc(file=sys.stderr)
            rec["exception"] = f"{type(e).__name__}: {e}"
            r = Reply("internal", f"kensa replay server: handler raised {type(e).__name__}: {e}")
            try:
                status, headers, out = self._error(rec, r, request_id)
                rec["status"] = status
                self._send(status, headers, out, None)
            except Exception:  # the connection itself is gone
                self.close_connection = True
        finally:
            rec["ms"] = round((time.monotonic() - t0) * 1000, 1)
            ctx.log(rec)
            ctx.done()

    def _error(self, rec, r, request_id):
        svc = self._svc
        family = self._family or "rest-xml"
        status, code, msg = dialect.condition(
            family, r.cond, detail=r.detail, op=rec.get("operation") or "",
            svc=(svc.signing_name if svc else ""), account=self.server.ctx.scenario.account_id,
            version=(svc.model.api_version if svc else ""))
        status = r.status or status
        code = r.code or code
        msg = msg if r.message is None else r.message
        rec["error_code"] = code
        status, headers, body = dialect.error_body(
            family, status, code, msg, request_id,
            xml_namespace=svc.xml_namespace if svc else None,
            json_version=svc.json_version if svc else "1.1", extra=r.extra)
        return status, headers + r.headers, body

    def _serve(self, rec, body, request_id):
        ctx = self.server.ctx
        raw_path, raw_query = split_target(self.path)
        items = list(self.headers.items())
        hdr = {}
        for k, v in items:
            hdr.setdefault(k.lower(), v)
        query_pairs = parse_qsl(raw_query, keep_blank_values=True)
        try:
            scope = scope_of(hdr)
        except AuthFailure as a:
            self._family = dialect.guess_family(hdr, dict(query_pairs))
            rec["signature"] = a.state
            raise Reply(a.condition, a.detail) from a
        if scope is None:
            self._family = dialect.guess_family(hdr, dict(query_pairs))
            rec["signature"] = "missing"
            if any(k == "X-Amz-Signature" for k, _ in query_pairs):
                raise Reply("bad_request", "kensa replay server: presigned URLs are not supported")
            raise Reply("missing_auth")
        rec["region"] = scope.region
        rec["access_key_id"] = scope.access_key_id
        svc = ctx.models.for_signing_name(scope.service, raw_path)
        if svc is None:
            rec["service"] = scope.service
            self._family = dialect.guess_family(hdr, dict(query_pairs))
            raise Reply("no_response", f"kensa replay server: botocore has no service that signs "
                                       f"as {scope.service!r}")
        self._svc = svc
        self._family = svc.protocol
        rec["service"] = svc.name

        op, params, route_error = self._route(svc, raw_path, query_pairs, hdr, body)
        rec["operation"] = op
        rec["params"] = params

        self._authenticate(rec, scope, raw_path, raw_query, items, body)
        if route_error:
            raise route_error
        self._account_checks(svc, scope.region, op, params)

        call = Call(svc.name, scope.region, op, params)
        applied = ctx.faults.choose(call)
        rec["fault"] = applied.names() or None
        self._transport = applied.transport
        delay = (ctx.latency_ms or 0) + applied.latency_ms
        if delay:
            time.sleep(delay / 1000.0)
        self._response_fault(applied.response)

        skip = set(pages.input_token_names(svc, op))
        variant = ctx.scenario.lookup(svc.name, scope.region, op,
                                      {k: v for k, v in params.items() if k not in skip})
        if variant is None:
            raise Reply("no_response",
                        f"no response for service={svc.name} region={scope.region} operation={op} "
                        f"params={json.dumps(params, sort_keys=True, default=str)[:600]} in "
                        f"scenario {ctx.scenario.name} (looked for "
                        f"{ctx.scenario.looked_in(svc.name, scope.region, op)})")
        rec["response"] = variant.files[0] if variant.files else variant.rel
        if variant.error:
            e = variant.error
            status, headers, out = dialect.error_body(
                svc.protocol, e.get("status", 400), e["code"], e.get("message", ""), request_id,
                xml_namespace=svc.xml_namespace, json_version=svc.json_version,
                extra=e.get("fields"))
            headers.extend((k, str(v)) for k, v in e.get("headers", {}).items())
            rec["error_code"] = e["code"]
            return status, headers, out
        repeat = applied.repeat_token is not None
        try:
            page = pages.select_page(svc, op, variant, params, repeat=repeat)
        except pages.PageError as pe:
            raise Reply("bad_next_token", str(pe)) from pe
        rec["page"] = page
        where, _data, ext = variant.page(page)
        rec["response"] = where
        out = pages.render(svc, op, variant, page, repeat=repeat)
        meta = variant.meta or {}
        headers = dialect.request_id_headers(svc.protocol, request_id)
        if out:
            headers.append(("Content-Type", dialect.content_type(svc.protocol, svc.json_version,
                                                                 ext == "json")))
        headers.extend((k, str(v)) for k, v in meta.get("headers", {}).items())
        return meta.get("status", 200), headers, out

    def _route(self, svc, raw_path, query_pairs, hdr, body):
        """(operation, params, deferred Reply) - the Reply waits until the signature is checked."""
        if svc.protocol in ("ec2", "query"):
            pairs = list(query_pairs)
            ctype = hdr.get("content-type", "")
            if body and ctype.startswith("application/x-www-form-urlencoded"):
                pairs += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            params = {k: v for k, v in pairs if k not in ("Action", "Version")}
            op = dict(pairs).get("Action")
            if op not in svc.operations:
                return op, params, Reply("unknown_operation", detail=str(op))
            return op, params, None
        if svc.protocol == "json":
            target = hdr.get("x-amz-target", "")
            prefix, _, op = target.rpartition(".")
            params = {}
            if body.strip():
                try:
                    params = json.loads(body.decode("utf-8"))
                except ValueError as e:
                    return op or None, {}, Reply("bad_request", f"body is not JSON: {e}")
            if prefix != svc.target_prefix or op not in svc.operations:
                return op or None, params, Reply("unknown_operation", detail=target)
            return op, params if isinstance(params, dict) else {}, None
        path = raw_path
        if svc.name == "s3":
            host = hdr.get("host", "").rsplit(":", 1)[0] if "]" not in hdr.get("host", "") else ""
            bucket = self._vhost_bucket(host)
            if bucket:
                path = "/" + bucket + (raw_path if raw_path != "/" else "")
        query_keys = {}
        for k, v in query_pairs:
            query_keys.setdefault(k, v)
        op, labels = svc.route(self.command, path, query_keys)
        body_json = None
        if svc.protocol == "rest-json" and body.strip():
            try:
                body_json = json.loads(body.decode("utf-8"))
            except ValueError as e:
                return op, dict(labels), Reply("bad_request", f"body is not JSON: {e}")
        if op is None:
            return None, {"path": unquote_plus(raw_path)}, Reply(
                "unknown_operation", detail=f"{self.command} {raw_path}")
        return op, svc.rest_params(op, labels, query_pairs, hdr, body_json), None

    @staticmethod
    def _vhost_bucket(host):
        if host.endswith(".localhost"):
            return host[:-len(".localhost")]
        for marker in S3_VHOST_MARKERS:
            at = host.find(marker)
            if at > 0:
                return host[:at]
        return None

    def _authenticate(self, rec, scope, raw_path, raw_query, items, body):
        ctx = self.server.ctx
        cred = ctx.scenario.credentials.get(scope.access_key_id)
        if cred is None:
            rec["signature"] = "unknown_key"
            raise Reply("unknown_key")
        try:
            verify(scope, self.command, raw_path, raw_query, items, body, cred.secret_access_key,
                   scheme="https" if ctx.tls else "http")
        except AuthFailure as a:
            rec["signature"] = a.state
            extra = {}
            if a.condition == "signature" and self._family == "rest-xml" and "string_to_sign" in a.extra:
                # S3 shows its side of the computation, as AWS does
                extra = {"AWSAccessKeyId": scope.access_key_id,
                         "StringToSign": a.extra["string_to_sign"],
                         "SignatureProvided": scope.signature,
                         "CanonicalRequest": a.extra["canonical_request"]}
            raise Reply(a.condition, a.detail if a.condition != "signature" or
                        a.detail != "signature mismatch" else "", extra=extra) from a
        token = {k.lower(): v for k, v in items}.get("x-amz-security-token")
        if cred.session_token:
            if token != cred.session_token:
                rec["signature"] = "bad_token"
                raise Reply("bad_token")
            if not cred.use_token():
                rec["signature"] = "expired_token"
                raise Reply("expired_token")
        elif token:
            rec["signature"] = "bad_token"
            raise Reply("bad_token")
        rec["signature"] = "ok"

    def _account_checks(self, svc, region, op, params):
        sc = self.server.ctx.scenario
        if svc.name == "s3control" and params.get("AccountId") not in (None, sc.account_id):
            raise Reply("access_denied")
        if svc.name == "s3" and op not in ("GetBucketLocation", "ListBuckets", "HeadBucket"):
            want = sc.bucket_regions.get(params.get("Bucket", ""))
            if want and want != region:
                raise Reply("incomplete_signature",
                            f"The authorization header is malformed; the region '{region}' is "
                            f"wrong; expecting '{want}'", extra={"Region": want},
                            code="AuthorizationHeaderMalformed",
                            headers=[("x-amz-bucket-region", want)])

    @staticmethod
    def _response_fault(f):
        """Raise the error a response fault stands for (the dialect's spelling unless overridden)."""
        if f is None:
            return
        if f.kind == "internal_error":
            raise RuntimeError(f"injected internal_error fault {f.name!r}")
        cond = {"throttle": "throttle", "unavailable": "unavailable",
                "access_denied": "access_denied", "error": "internal"}[f.kind]
        headers = [("Retry-After", str(f.raw["retry_after"]))] if "retry_after" in f.raw else []
        raise Reply(cond, code=f.raw.get("code"), status=f.raw.get("status"),
                    message=f.raw.get("message"), headers=headers)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        e = sys.exc_info()[1]
        print(f"replay: connection from {client_address[0]}:{client_address[1]} failed: "
              f"{type(e).__name__}: {e}", file=sys.stderr, flush=True)


def _watch_stdin(ctx):
    """Exit when stdin, if it is a pipe or socket, reaches EOF (the driver went away).

    Requests already answered get their log line first (bounded wait), so a driver
    can close stdin, wait for the exit and then read a complete log.
    """
    try:
        mode = os.fstat(0).st_mode
    except OSError:
        return
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        return

    def run():
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            pass
        ctx.drain(2.0)
        print("replay: stdin closed, exiting", file=sys.stderr, flush=True)
        os._exit(0)

    threading.Thread(target=run, name="stdin-watch", daemon=True).start()


def _deadline(seconds):
    def run():
        print(f"replay: --max-seconds {seconds:g} reached, exiting", file=sys.stderr, flush=True)
        os._exit(0)

    t = threading.Timer(seconds, run)
    t.daemon = True
    t.start()


def parse_args(argv):
    p = argparse.ArgumentParser(description="kensa's signature-checking AWS replay server")
    p.add_argument("--scenario", required=True, help="scenario folder, e.g. fixtures/aws/basic")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    p.add_argument("--latency-ms", type=int, default=None, help="added delay per call")
    p.add_argument("--fault", action="append", default=[], help="fault spec (README.md)")
    p.add_argument("--log", help="append one JSON line per request to this file")
    p.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    p.add_argument("--tls-key", help="private key for --tls-cert (PEM)")
    p.add_argument("--max-seconds", type=float, default=600,
                   help="exit after this long whatever happens (0: never; default 600)")
    p.add_argument("--check", action="store_true",
                   help="load and check the scenario, print a summary, exit")
    p.add_argument("-v", "--verbose", action="store_true", help="one stderr line per request")
    args = p.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        p.error("--tls-cert and --tls-key go together")
    return args


def check(scenario, models, faultset):
    """--check: every body against botocore's output shape; 0 when nothing is unknown."""
    problems = 0
    n = 0
    for service, _region, op, v in scenario.all_variants():
        svc = models.service(service)
        bodies = [v.pages[k] for k in sorted(v.pages)] if v.pages else ([v.body] if v.body else [])
        n += 1
        for where, data, ext in bodies:
            for path in lint.check_body(svc, op, data, ext):
                if any(fnmatch.fnmatchcase(f"{service} {op} {path}", pat)
                       for pat in scenario.lint_ignore):
                    continue
                problems += 1
                print(f"lint: {where}: botocore's {service} {op} output has no {path}")
    services = sorted({s for (s, _r) in scenario.index})
    print(f"scenario {scenario.name}: {n} responses for {len(services)} services "
          f"({', '.join(services)}), {len(scenario.credentials)} credential(s), "
          f"{len(faultset.faults)} fault(s): {'OK' if not problems else f'{problems} problem(s)'}")
    return 1 if problems else 0


def main(argv):
    args = parse_args(argv)
    models = Models()
    try:
        scenario = Scenario(args.scenario, models)
        specs = [(f"--fault #{i + 1}", parse_cli(f)) for i, f in enumerate(args.fault)]
        specs += [(f"{args.scenario}/manifest.json: faults[{i}]", f)
                  for i, f in enumerate(scenario.faults)]
        faultset = FaultSet(specs)
    except (ScenarioError, FaultError) as e:
        print(f"replay: {e}", file=sys.stderr)
        return 2
    for name in scenario.ignored:
        print(f"replay: {args.scenario}: ignoring folder {name!r} (not a botocore service name)",
              file=sys.stderr)
    if args.check:
        return check(scenario, models, faultset)
    ctx = Context(args, scenario, models, faultset)
    try:
        httpd = Server(("127.0.0.1", args.port), Handler)
    except OSError as e:
        print(f"replay: cannot listen on 127.0.0.1:{args.port}: {e}", file=sys.stderr)
        return 2
    httpd.ctx = ctx
    _watch_stdin(ctx)
    if args.max_seconds > 0:
        _deadline(args.max_seconds)
    print(f"PORT {httpd.server_address[1]}", flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
