"""scenario.py - load a scenario folder (fixtures/aws/<name>/) and find the response for a call.

Layout (tests/replay/README.md has the full story):

    manifest.json                                   credentials, account, regions, faults
    <service>/[<region>/]<Operation>.xml|.json      the response to any call of Operation
    <service>/[<region>/]<Operation>.<n>.xml        page n of a paginated response
    <service>/[<region>/]<Operation>/<variant>.xml  the response when the call's parameters
                                                    match <variant> (a value, or Name=value;
                                                    folders nest for several parameters)
    ... .error.json                                 an AWS error, rendered in the service's dialect
    ... .meta.json                                  status and headers for a verbatim body

Everything is read and checked once at start-up, so a typo in a fixture stops
the server with a message naming the file instead of surfacing as a puzzling
client error halfway through a test.
"""

import json
import os
import re
import threading
import xml.etree.ElementTree as ET
from urllib.parse import unquote

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_PAGE = re.compile(r"^(.+)\.(\d{1,3})$")
MANIFEST_KEYS = {"description", "base", "account_id", "regions", "credentials", "faults",
                 "s3_bucket_regions", "latency_ms", "lint_ignore"}
CREDENTIAL_KEYS = {"access_key_id", "secret_access_key", "session_token", "token_expires_after"}
MAX_FIXTURE_BYTES = 8 << 20


class ScenarioError(Exception):
    """A scenario that cannot be served; the message names the file."""


class Credential:
    """One key pair the server accepts. `uses` counts calls made with its session token."""

    def __init__(self, where, raw):
        if not isinstance(raw, dict):
            raise ScenarioError(f"{where}: a credential must be an object")
        unknown = set(raw) - CREDENTIAL_KEYS
        if unknown:
            raise ScenarioError(f"{where}: unknown credential keys {sorted(unknown)}")
        for need in ("access_key_id", "secret_access_key"):
            if not isinstance(raw.get(need), str) or not raw[need]:
                raise ScenarioError(f"{where}: credential needs a non-empty {need}")
        self.access_key_id = raw["access_key_id"]
        self.secret_access_key = raw["secret_access_key"]
        self.session_token = raw.get("session_token")
        self.expires_after = raw.get("token_expires_after")
        if self.expires_after is not None and (not isinstance(self.expires_after, int)
                                               or self.expires_after < 0):
            raise ScenarioError(f"{where}: token_expires_after must be a count of calls >= 0")
        if self.expires_after is not None and not self.session_token:
            raise ScenarioError(f"{where}: token_expires_after needs a session_token")
        self.uses = 0
        self.lock = threading.Lock()

    def use_token(self):
        """Count one call made with the session token; False once it has expired."""
        with self.lock:
            self.uses += 1
            return self.expires_after is None or self.uses <= self.expires_after


class Variant:
    """The files answering one (service, region, operation, parameter match)."""

    def __init__(self, rel, key):
        self.rel = rel          # e.g. "s3/GetBucketPolicy/logs-bucket", for logs and tokens
        self.key = key          # tuple of match components; () for the operation's default
        self.body = None        # (path, bytes, ext) of a single response
        self.pages = {}         # n -> (path, bytes, ext)
        self.error = None       # parsed .error.json
        self.meta = None        # parsed .meta.json
        self.files = []

    def page_count(self):
        return len(self.pages) if self.pages else 1

    def page(self, n):
        """(relative file, bytes, ext) of page n (1-based); a single body is page 1."""
        if self.pages:
            return self.pages[n]
        return self.body


def _read_json(path, what):
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    except (OSError, ValueError) as e:
        raise ScenarioError(f"{path}: {what} is not valid JSON: {e}") from e


def _split_name(fname):
    """(base, kind, page, ext) of a fixture file name, or None when it is not one."""
    if fname.endswith(".error.json"):
        return fname[:-len(".error.json")], "error", None, "json"
    if fname.endswith(".meta.json"):
        return fname[:-len(".meta.json")], "meta", None, "json"
    for ext in ("xml", "json"):
        if fname.endswith("." + ext):
            stem = fname[:-len(ext) - 1]
            m = _PAGE.match(stem)
            if m:
                return m.group(1), "body", int(m.group(2)), ext
            return stem, "body", None, ext
    return None


def match_view(params):
    """name -> set of string values, plus the set of all values, for variant matching.

    Query-protocol lists arrive flattened (GroupId.1, Filter.1.Name,
    UserNames.member.1); they are also registered under the name with the index
    parts removed, so `GroupId=sg-1` matches `GroupId.1=sg-1`.
    """
    view = {}
    values = set()

    def add(name, value):
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str):
            return
        view.setdefault(name, set()).add(value)
        values.add(value)

    for name, value in params.items():
        if isinstance(value, list):
            for v in value:
                add(name, v)
        else:
            add(name, value)
        short = re.sub(r"\.(member|item|entry)\.\d+|\.\d+", "", name)
        if short != name:
            add(short, value)
    return view, values


def _component_matches(comp, view, values):
    name, sep, value = comp.partition("=")
    if sep:
        return unquote(value) in view.get(unquote(name), ())
    return unquote(comp) in values


class Scenario:
    """A loaded scenario: manifest facts and an index of every response file."""

    def __init__(self, path, models, depth=0):
        self.path = os.path.abspath(path)
        self.name = os.path.basename(self.path.rstrip("/"))
        self.models = models
        if depth > 4:
            raise ScenarioError(f"{self.path}: 'base' chain is too deep (a cycle?)")
        mpath = os.path.join(self.path, "manifest.json")
        if not os.path.isfile(mpath):
            raise ScenarioError(f"{self.path}: no manifest.json")
        m = _read_json(mpath, "manifest")
        if not isinstance(m, dict):
            raise ScenarioError(f"{mpath}: must be a JSON object")
        unknown = {k for k in m if k not in MANIFEST_KEYS and not k.startswith("_")}
        if unknown:
            raise ScenarioError(f"{mpath}: unknown keys {sorted(unknown)} "
                                f"(known: {sorted(MANIFEST_KEYS)}; '_'-prefixed keys are comments)")
        base = None
        if m.get("base"):
            base = Scenario(os.path.join(os.path.dirname(self.path), m["base"]), models, depth + 1)
        self.description = m.get("description", base.description if base else "")
        self.account_id = m.get("account_id", base.account_id if base else "123456789012")
        self.regions = m.get("regions", base.regions if base else [])
        self.bucket_regions = dict(base.bucket_regions) if base else {}
        self.bucket_regions.update(m.get("s3_bucket_regions", {}))
        self.latency_ms = m.get("latency_ms", base.latency_ms if base else 0)
        self.faults = (list(base.faults) if base else []) + list(m.get("faults", []))
        self.lint_ignore = (list(base.lint_ignore) if base else []) + list(m.get("lint_ignore", []))
        raw_creds = m.get("credentials")
        if raw_creds is None and base:
            self.credentials = base.credentials
        else:
            if isinstance(raw_creds, dict):
                raw_creds = [raw_creds]
            if not isinstance(raw_creds, list) or not raw_creds:
                raise ScenarioError(f"{mpath}: 'credentials' must be an object or a non-empty list")
            self.credentials = {}
            for i, c in enumerate(raw_creds):
                cred = Credential(f"{mpath}: credentials[{i}]", c)
                self.credentials[cred.access_key_id] = cred
        # (service, region or "") -> operation -> {key tuple: Variant}
        self.index = {}
        if base:
            for k, ops in base.index.items():
                self.index[k] = {op: dict(vs) for op, vs in ops.items()}
        self.ignored = []
        self._load_tree()

    # ---- loading ----

    def _load_tree(self):
        fresh = {}
        for svc_name in sorted(os.listdir(self.path)):
            svc_dir = os.path.join(self.path, svc_name)
            if not os.path.isdir(svc_dir) or svc_name.startswith("."):
                continue
            svc = self.models.service(svc_name)
            if svc is None:
                self.ignored.append(svc_name)
                continue
            for entry in sorted(os.listdir(svc_dir)):
                p = os.path.join(svc_dir, entry)
                if os.path.isdir(p) and _REGION.match(entry):
                    for sub in sorted(os.listdir(p)):
                        self._load_op_entry(fresh, svc, entry, os.path.join(p, sub), sub)
                else:
                    self._load_op_entry(fresh, svc, "", p, entry)
        # files in this folder replace whole variants inherited from a base scenario
        for (service, region, op, key), files in fresh.items():
            ops = self.index.setdefault((service, region), {})
            ops.setdefault(op, {})[key] = self._build_variant(service, region, op, key, files)

    def _load_op_entry(self, fresh, svc, region, path, name):
        where = os.path.relpath(path, self.path)
        if os.path.isdir(path):
            if name not in svc.operations:
                raise ScenarioError(f"{where}: {svc.name} has no operation {name!r} "
                                    f"(and it is not a region folder)")
            for root, _dirs, files in os.walk(path):
                for f in sorted(files):
                    full = os.path.join(root, f)
                    parsed = _split_name(f)
                    if parsed is None:
                        if f.endswith(".md"):
                            continue
                        raise ScenarioError(f"{os.path.relpath(full, self.path)}: not a fixture "
                                            f"(.xml, .json, .error.json, .meta.json)")
                    base, kind, page, ext = parsed
                    parts = os.path.relpath(os.path.join(root, base), path).split(os.sep)
                    fresh.setdefault((svc.name, region, name, tuple(parts)), []).append(
                        (full, kind, page, ext))
            return
        if name.endswith(".md"):
            return
        parsed = _split_name(name)
        if parsed is None:
            raise ScenarioError(f"{where}: not a fixture (.xml, .json, .error.json, .meta.json)")
        base, kind, page, ext = parsed
        if base not in svc.operations:
            raise ScenarioError(f"{where}: {svc.name} has no operation {base!r}")
        fresh.setdefault((svc.name, region, base, ()), []).append((path, kind, page, ext))

    def _build_variant(self, service, region, op, key, files):
        rel = "/".join([service] + ([region] if region else []) + [op] + list(key))
        v = Variant(rel, key)
        svc = self.models.service(service)
        for path, kind, page, ext in files:
            where = os.path.relpath(path, self.path)
            v.files.append(where)
            if kind == "error":
                e = _read_json(path, "error")
                if not isinstance(e, dict) or not isinstance(e.get("code"), str):
                    raise ScenarioError(f"{where}: an .error.json needs a string \"code\"")
                status = e.get("status", 400)
                if not isinstance(status, int) or not 300 <= status <= 599:
                    raise ScenarioError(f"{where}: \"status\" must be an HTTP error status")
                bad = set(e) - {"status", "code", "message", "headers", "fields"}
                if bad:
                    raise ScenarioError(f"{where}: unknown keys {sorted(bad)}")
                v.error = e
            elif kind == "meta":
                meta = _read_json(path, "meta")
                if not isinstance(meta, dict) or set(meta) - {"status", "headers"}:
                    raise ScenarioError(f"{where}: a .meta.json holds only \"status\" and \"headers\"")
                v.meta = meta
            else:
                data = self._read_body(path, where, svc, op, ext)
                if page is None:
                    v.body = (where, data, ext)
                else:
                    v.pages[page] = (where, data, ext)
        if v.error and (v.body or v.pages or v.meta):
            raise ScenarioError(f"{rel}: an .error.json cannot sit beside a response body")
        if v.body and v.pages:
            raise ScenarioError(f"{rel}: both a single response and numbered pages")
        if v.pages:
            if sorted(v.pages) != list(range(1, len(v.pages) + 1)):
                raise ScenarioError(f"{rel}: pages must be numbered 1..N without gaps, "
                                    f"found {sorted(v.pages)}")
            if svc.paginator(op) is None or not svc.paginator(op).output_tokens:
                raise ScenarioError(f"{rel}: numbered pages, but botocore knows no paginator "
                                    f"for {service} {op}")
        if not v.body and not v.pages and not v.error:
            v.body = (v.files[0] if v.files else rel, b"", "xml")  # a .meta.json alone: empty body
        return v

    def _read_body(self, path, where, svc, op, ext):
        if os.path.getsize(path) > MAX_FIXTURE_BYTES:
            raise ScenarioError(f"{where}: larger than {MAX_FIXTURE_BYTES} bytes")
        with open(path, "rb") as f:
            data = f.read()
        if ext == "json":
            try:
                json.loads(data.decode("utf-8"))
            except ValueError as e:
                raise ScenarioError(f"{where}: not valid JSON: {e}") from e
            return data
        try:
            root = ET.fromstring(data)
        except ET.ParseError as e:
            raise ScenarioError(f"{where}: not well-formed XML: {e}") from e
        tag = root.tag.split("}", 1)[-1]
        if svc.protocol in ("ec2", "query") and tag != op + "Response":
            raise ScenarioError(f"{where}: the root element of a {svc.name} {op} response is "
                                f"<{op}Response>, not <{tag}>")
        return data

    # ---- lookup ----

    def lookup(self, service, region, op, params):
        """The Variant answering a call, or None. Region folders win over region-less files."""
        view, values = match_view(params)
        for scope in (region, ""):
            variants = self.index.get((service, scope), {}).get(op)
            if not variants:
                continue
            matching = [v for key, v in variants.items()
                        if key and all(_component_matches(c, view, values) for c in key)]
            if matching:
                # the most specific match wins: more components, then more Name=value ones
                matching.sort(key=lambda v: (-len(v.key), -sum("=" in c for c in v.key), v.rel))
                return matching[0]
            if () in variants:
                return variants[()]
        return None

    def looked_in(self, service, region, op):
        """Where lookup searched, for the KensaReplayNoResponse message."""
        places = []
        if region:
            places.append(f"{service}/{region}/{op}[.N].xml|json or {service}/{region}/{op}/...")
        places.append(f"{service}/{op}[.N].xml|json or {service}/{op}/...")
        return "; ".join(places)

    def all_variants(self):
        for (service, region), ops in sorted(self.index.items()):
            for op, vs in sorted(ops.items()):
                for key, v in sorted(vs.items()):
                    yield service, region, op, v
