"""faults.py - which injected faults apply to a call.

A fault is a small JSON object (in manifest.json's "faults" list, or on the
command line as --fault 'kind:key=value,...' or --fault '{...}'):

    {"kind": "throttle", "operation": "Describe*", "first": 2, "retry_after": 1}

It matches calls by service / region / operation (shell globs, '|' for
alternatives) and parameters, and applies to the matching calls numbered
skip+1 .. skip+first, counted per operation (default), per distinct call
("per": "call") or over all calls ("per": "all"). Each fault counts its own
matching calls, so faults combine without shifting each other's counts.
tests/replay/README.md lists the kinds and their options.
"""

import fnmatch
import json
import threading

RESPONSE_KINDS = {"throttle", "unavailable", "error", "access_denied", "internal_error"}
TRANSPORT_KINDS = {"reset", "stall", "truncate", "malformed"}
OTHER_KINDS = {"repeat_token", "latency"}
KINDS = RESPONSE_KINDS | TRANSPORT_KINDS | OTHER_KINDS
KEYS = {"kind", "name", "service", "region", "operation", "params", "first", "skip", "per",
        "status", "code", "message", "retry_after", "seconds", "where", "bytes", "ms", "body"}
INT_KEYS = {"first", "skip", "status", "retry_after", "bytes", "ms"}


class FaultError(Exception):
    """A fault spec that makes no sense; the message says which and why."""


def _glob_any(patterns, value):
    return any(fnmatch.fnmatchcase(value or "", p) for p in patterns.split("|"))


class Fault:
    def __init__(self, raw, where):
        if not isinstance(raw, dict):
            raise FaultError(f"{where}: a fault is a JSON object")
        unknown = set(raw) - KEYS
        if unknown:
            raise FaultError(f"{where}: unknown fault keys {sorted(unknown)} (known: {sorted(KEYS)})")
        self.kind = raw.get("kind")
        if self.kind not in KINDS:
            raise FaultError(f"{where}: kind must be one of {sorted(KINDS)}, not {self.kind!r}")
        for k in INT_KEYS:
            if k in raw and (not isinstance(raw[k], int) or isinstance(raw[k], bool) or raw[k] < 0):
                raise FaultError(f"{where}: {k} must be a whole number >= 0")
        if "seconds" in raw and (not isinstance(raw["seconds"], (int, float)) or raw["seconds"] < 0):
            raise FaultError(f"{where}: seconds must be a number >= 0")
        self.raw = raw
        self.name = raw.get("name", self.kind)
        self.service = raw.get("service", "*")
        self.region = raw.get("region", "*")
        self.operation = raw.get("operation", "*")
        self.params = raw.get("params", {})
        if not isinstance(self.params, dict):
            raise FaultError(f"{where}: params must map parameter names to values")
        self.first = raw.get("first")
        self.skip = raw.get("skip", 0)
        self.per = raw.get("per", "operation")
        if self.per not in ("operation", "call", "all"):
            raise FaultError(f"{where}: per must be operation, call or all")
        self.where = raw.get("where", "before" if self.kind == "stall" else "body")
        if self.where not in ("before", "body"):
            raise FaultError(f"{where}: where must be before or body")
        if self.kind == "error" and ("status" not in raw or "code" not in raw):
            raise FaultError(f"{where}: an error fault needs status and code")
        if self.kind == "latency" and "ms" not in raw:
            raise FaultError(f"{where}: a latency fault needs ms")
        self.counts = {}

    def matches(self, call):
        if not (_glob_any(self.service, call.service) and _glob_any(self.region, call.region)
                and _glob_any(self.operation, call.operation)):
            return False
        for name, pattern in self.params.items():
            if not any(fnmatch.fnmatchcase(v, str(pattern)) for v in call.view.get(name, ())):
                return False
        return True

    def take(self, call):
        """Count a matching call; True when this one falls in the fault's window."""
        if self.per == "all":
            key = ()
        elif self.per == "call":
            key = (call.service, call.region, call.operation,
                   json.dumps(call.params, sort_keys=True, default=str))
        else:
            key = (call.service, call.region, call.operation)
        n = self.counts.get(key, 0) + 1
        self.counts[key] = n
        if n <= self.skip:
            return False
        return self.first is None or n <= self.skip + self.first

    def describe(self):
        return {k: v for k, v in self.raw.items() if k != "body"}


class Applied:
    """The faults chosen for one call: at most one of each category, latency summed."""

    def __init__(self):
        self.response = None
        self.transport = None
        self.repeat_token = None
        self.latency_ms = 0

    def names(self):
        out = [f.name for f in (self.response, self.transport, self.repeat_token) if f]
        if self.latency_ms:
            out.append(f"latency:{self.latency_ms}ms")
        return out


class FaultSet:
    def __init__(self, specs):
        self.faults = [Fault(raw, where) for where, raw in specs]
        self.lock = threading.Lock()

    def choose(self, call):
        """The faults that apply to `call` (an object with service, region, operation, params, view)."""
        applied = Applied()
        with self.lock:
            for f in self.faults:
                if not f.matches(call) or not f.take(call):
                    continue
                if f.kind in RESPONSE_KINDS and applied.response is None:
                    applied.response = f
                elif f.kind in TRANSPORT_KINDS and applied.transport is None:
                    applied.transport = f
                elif f.kind == "repeat_token" and applied.repeat_token is None:
                    applied.repeat_token = f
                elif f.kind == "latency":
                    applied.latency_ms += f.raw["ms"]
        return applied


def parse_cli(text):
    """A --fault argument: JSON, or `kind[:key=value,...]` with param.<Name>=value for params."""
    text = text.strip()
    if text.startswith("{"):
        try:
            return json.loads(text)
        except ValueError as e:
            raise FaultError(f"--fault {text!r}: not valid JSON: {e}") from e
    kind, _, rest = text.partition(":")
    raw = {"kind": kind.strip()}
    for item in rest.split(","):
        if not item.strip():
            continue
        k, sep, v = item.partition("=")
        k, v = k.strip(), v.strip()
        if not sep:
            raise FaultError(f"--fault {text!r}: {item!r} is not key=value")
        if k.startswith("param."):
            raw.setdefault("params", {})[k[len("param."):]] = v
        elif k in INT_KEYS:
            try:
                raw[k] = int(v)
            except ValueError as e:
                raise FaultError(f"--fault {text!r}: {k} must be a whole number") from e
        elif k == "seconds":
            try:
                raw[k] = float(v)
            except ValueError as e:
                raise FaultError(f"--fault {text!r}: seconds must be a number") from e
        else:
            raw[k] = v
    return raw
