#!/usr/bin/python3
"""check_report.py - open kensa's HTML report in headless Chromium and check what a
reader sees (docs/reports.md "HTML").

Python standard library only. Chromium is driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: the browser reads commands on fd 3 and writes replies on fd 4,
each message JSON terminated by a NUL byte), so no port is opened and nothing else is
installed.

    check_report.py --kensa build/kensa [--src .] [--artifacts build/test-artifacts]
        scans the demo tenant and a hostile tenant (names like <script>alert(1)</script>,
        quotes, a right-to-left override, invalid UTF-8, a broken line) in en and ja with
        --format json,html and checks each report.html:
          - the status counts shown equal the summary counts of findings.json;
          - one resource row per FAIL, ERROR and WAIVED finding;
          - a real mouse click (Input.dispatchMouseEvent at the centre of the button's
            box) on the "high" severity filter leaves only high rows visible, and "All"
            brings every row back;
          - no element came from scan text: exactly the report's one <script>, no on*
            attributes, no img/iframe/object/embed/form/base/svg, window.alert (trapped
            before the page loads) never called, the hostile names shown as text;
          - printing (emulated print media) hides the filters and shows every <details>;
          - no network request besides the file itself, no script exception;
        saves screenshots to ARTIFACTS/report-<lang>.png (top of the page),
        report-<lang>-findings.png and report-hostile-<lang>.png, and prints the load
        time (Chromium launch to load event, and navigation to load event).

    check_report.py --time REPORT.html [--findings findings.json]
        loads one report and prints its load time (and checks the counts when
        findings.json is given): used to measure large reports.

Exit status 0 when every check passed, 1 otherwise. Chromium missing is a failure, not a
skip: run scripts/bootstrap, which installs chromium and fonts-ipafont-gothic.
"""
import argparse
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

CHROMIUM = os.environ.get("KENSA_CHROMIUM", "/usr/bin/chromium")
RUN_TIMEOUT = 60.0  # seconds per Chromium run, launch to close

# Installed before any script of the page runs; the page cannot see or undo it first.
ALERT_TRAP = """
window.__kensaAlerts = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  const orig = window[name];
  window[name] = function (m) { window.__kensaAlerts.push(name + ':' + String(m)); };
}
"""

DOM_FACTS = r"""
(() => {
  const counts = {};
  document.querySelectorAll('[data-count]').forEach(e => {
    counts[e.getAttribute('data-count')] = Number(e.textContent.trim());
  });
  const rows = s => document.querySelectorAll(
      'tr.finding' + (s ? '[data-status="' + s + '"]' : '')).length;
  const onattrs = [];
  document.querySelectorAll('*').forEach(e => {
    for (const a of e.attributes)
      if (a.name.toLowerCase().startsWith('on')) onattrs.push(e.tagName + '[' + a.name + ']');
  });
  const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  return {
    counts: counts,
    rows: {FAIL: rows('FAIL'), ERROR: rows('ERROR'), WAIVED: rows('WAIVED'), all: rows('')},
    scripts: document.querySelectorAll('script').length,
    foreign: Array.from(document.querySelectorAll(
        'img,iframe,frame,object,embed,form,base,svg,math,link,style ~ style,' +
        'meta[http-equiv="refresh"],template,audio,video,input,textarea'))
        .map(e => e.tagName),
    onattrs: onattrs,
    alerts: window.__kensaAlerts ? window.__kensaAlerts.slice() : ['trap missing'],
    lang: document.documentElement.lang,
    h1: document.querySelector('h1') ? document.querySelector('h1').textContent : '',
    text: document.body.textContent,
    csp: meta ? meta.content : '',
    shown: (document.getElementById('shown') || {}).textContent,
    hasJapanese: /[\u3040-\u30ff\u4e00-\u9fff]/.test(document.body.textContent),
  };
})()
"""

VISIBLE_ROWS = r"""
(() => {
  const rows = Array.from(document.querySelectorAll('tr.finding'));
  const vis = rows.filter(r => r.getClientRects().length > 0);
  const secs = Array.from(document.querySelectorAll('section.rule'))
      .filter(s => s.getClientRects().length > 0);
  const rr = Array.from(document.querySelectorAll('tr.rulerow'))
      .filter(r => r.getClientRects().length > 0);
  return {
    total: rows.length,
    visible: vis.length,
    visible_not_high: vis.filter(r => r.getAttribute('data-severity') !== 'high').length,
    high: rows.filter(r => r.getAttribute('data-severity') === 'high').length,
    sections_not_high: secs.filter(s => s.getAttribute('data-severity') !== 'high').length,
    rulerows_not_high: rr.filter(r => r.getAttribute('data-severity') !== 'high').length,
    shown: document.getElementById('shown').textContent,
  };
})()
"""

PRINT_FACTS = r"""
(() => ({
  nav: getComputedStyle(document.querySelector('nav.filters')).display,
  closed: document.querySelectorAll('details:not([open])').length,
  unrendered: Array.from(document.querySelectorAll('details > :not(summary)'))
      .filter(e => e.getClientRects().length === 0).length,
}))()
"""

BUTTON_BOX = r"""
((sel) => {
  const b = document.querySelector(sel);
  if (!b) return null;
  b.scrollIntoView({block: 'center'});
  const r = b.getBoundingClientRect();
  return {x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height,
          pressed: b.getAttribute('aria-pressed')};
})
"""


class Failure(Exception):
    pass


class Pipe:
    """The DevTools protocol over Chromium's pipe: JSON messages ended by NUL."""

    def __init__(self, wfd, rfd, deadline):
        self.wfd, self.rfd, self.deadline = wfd, rfd, deadline
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_message(self):
        while b"\0" not in self.buf:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise Failure("Chromium did not answer within %.0f s" % RUN_TIMEOUT)
            ready, _, _ = select.select([self.rfd], [], [], left)
            if not ready:
                continue
            data = os.read(self.rfd, 1 << 20)
            if not data:
                raise Failure("Chromium closed the DevTools pipe (crashed?)")
            self.buf += data
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            n = os.write(self.wfd, data)
            data = data[n:]
        while True:
            m = self._read_message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise Failure("%s: %s" % (method, m["error"].get("message")))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method, session=None):
        while True:
            for i, e in enumerate(self.events):
                if e["method"] == method and (session is None or e.get("sessionId") == session):
                    return self.events.pop(i)
            m = self._read_message()
            if "method" in m:
                self.events.append(m)

    def drain(self):
        """Read what Chromium has already sent, without waiting."""
        while True:
            ready, _, _ = select.select([self.rfd], [], [], 0)
            if not ready and b"\0" not in self.buf:
                return
            m = self._read_message()
            if "method" in m:
                self.events.append(m)


def _move_high(fd):
    """Duplicate fd to a number >= 10 (close-on-exec) and close the original."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class Browser:
    def __init__(self):
        if not os.path.exists(CHROMIUM):
            raise Failure("%s not found: run scripts/bootstrap (it installs chromium and "
                          "fonts-ipafont-gothic)" % CHROMIUM)
        self.profile = tempfile.mkdtemp(prefix="kensa-chromium-")
        self.log = tempfile.TemporaryFile()
        cmd_r, cmd_w = os.pipe()    # we write commands, Chromium reads them as fd 3
        ev_r, ev_w = os.pipe()      # Chromium writes as fd 4, we read
        # Our ends and Chromium's ends go above 10, so that fds 3 and 4 of this process
        # can be made Chromium's ends, whatever was open there before.
        cmd_r, cmd_w, ev_r, ev_w = (_move_high(fd) for fd in (cmd_r, cmd_w, ev_r, ev_w))
        os.dup2(cmd_r, 3)
        os.dup2(ev_w, 4)
        os.close(cmd_r)
        os.close(ev_w)
        self.t_launch = time.monotonic()
        try:
            self.proc = subprocess.Popen(
                [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                 "--mute-audio", "--user-data-dir=" + self.profile, "--remote-debugging-pipe",
                 "about:blank"],
                stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, pass_fds=(3, 4),
                start_new_session=True)
        finally:
            os.close(3)
            os.close(4)
        self.cdp = Pipe(cmd_w, ev_r, self.t_launch + RUN_TIMEOUT)
        self.fds = (cmd_w, ev_r)

    def close(self):
        try:
            if self.proc.poll() is None:
                try:
                    self.cdp.deadline = time.monotonic() + 5
                    self.cdp.send("Browser.close")
                except (Failure, OSError):
                    pass
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, 9)
                    self.proc.wait()
        finally:
            for fd in self.fds:
                os.close(fd)
            shutil.rmtree(self.profile, ignore_errors=True)

    def log_tail(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]


class Page:
    def __init__(self, browser):
        self.b = browser
        cdp = browser.cdp
        target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.s = cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(domain + ".enable")
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_TRAP})
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 1600, "deviceScaleFactor": 1, "mobile": False})

    def send(self, method, params=None):
        return self.b.cdp.send(method, params, self.s)

    def load(self, url):
        t0 = time.monotonic()
        self.send("Page.navigate", {"url": url})
        self.b.cdp.wait_event("Page.loadEventFired", self.s)
        t1 = time.monotonic()
        return (t1 - self.b.t_launch) * 1000, (t1 - t0) * 1000

    def eval(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True})
        if "exceptionDetails" in r:
            raise Failure("page script failed: %s" % r["exceptionDetails"].get("text"))
        return r["result"].get("value")

    def click(self, selector):
        """A real click: mouse events at the centre of the element's box."""
        box = self.eval(BUTTON_BOX + "(%s)" % json.dumps(selector))
        if not box or box["w"] <= 0 or box["h"] <= 0:
            raise Failure("no visible %s to click" % selector)
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"],
                                                   "button": "left", "clickCount": 1})

    def screenshot(self, path, scroll_to=None):
        self.eval("window.scrollTo(0, 0)" if not scroll_to else
                  "document.querySelector(%s).scrollIntoView()" % json.dumps(scroll_to))
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def problems(self, url):
        """Network requests other than the report, script exceptions, console errors."""
        self.b.cdp.drain()
        out = []
        for e in self.b.cdp.events:
            if e.get("sessionId") != self.s:
                continue
            p = e.get("params", {})
            if e["method"] == "Network.requestWillBeSent" and p["request"]["url"] != url:
                out.append("network request: " + p["request"]["url"][:200])
            elif e["method"] == "Runtime.exceptionThrown":
                out.append("script exception: " + json.dumps(p.get("exceptionDetails"))[:300])
            elif e["method"] == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.append("console error: " + p["entry"].get("text", "")[:300])
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") == "error":
                out.append("console.error: " + json.dumps(p.get("args"))[:300])
        return out


def check(cond, what, errors):
    if not cond:
        errors.append(what)


def check_report(report, findings, lang, artifacts, name, hostile=()):
    """Open report in a fresh Chromium and check it; returns (errors, timing text)."""
    with open(findings, encoding="utf-8") as f:
        doc = json.load(f)
    counts = doc["summary"]["counts"]
    url = "file://" + urllib.parse.quote(os.path.abspath(report))
    with open(report, "rb") as f:
        raw = f.read()
    errors = []
    launch_ms = nav_ms = -1.0
    n_rows = -1
    check(raw.lower().count(b"<script") == 1, "the file has %d <script tags, not 1"
          % raw.lower().count(b"<script"), errors)
    browser = Browser()
    try:
        page = Page(browser)
        launch_ms, nav_ms = page.load(url)
        facts = page.eval(DOM_FACTS)
        n_rows = facts["rows"]["all"]
        for st in ("PASS", "FAIL", "ERROR", "N/A", "WAIVED", "total"):
            check(facts["counts"].get(st) == counts[st], "count %s shown %r, summary %r"
                  % (st, facts["counts"].get(st), counts[st]), errors)
        check(facts["counts"].get("scan-errors") == len(doc["errors"]), "scan errors shown %r, "
              "findings.json has %d" % (facts["counts"].get("scan-errors"), len(doc["errors"])),
              errors)
        for st in ("FAIL", "ERROR", "WAIVED"):
            check(facts["rows"][st] == counts[st], "%d %s resource rows, summary counts %d"
                  % (facts["rows"][st], st, counts[st]), errors)
        check(facts["scripts"] == 1, "%d script elements in the DOM, the report has 1"
              % facts["scripts"], errors)
        check(not facts["foreign"], "elements from scan text: %s" % facts["foreign"][:10], errors)
        check(not facts["onattrs"], "event handler attributes: %s" % facts["onattrs"][:10], errors)
        check(facts["lang"] == lang, "<html lang=%r>, want %r" % (facts["lang"], lang), errors)
        check(facts["hasJapanese"] == (lang == "ja"),
              "Japanese text present=%s in a %s report" % (facts["hasJapanese"], lang), errors)
        check("default-src 'none'" in facts["csp"], "CSP %r does not forbid network" % facts["csp"],
              errors)
        check(facts["shown"] == "%d / %d" % (facts["rows"]["all"], facts["rows"]["all"]),
              "rows shown counter %r" % facts["shown"], errors)
        for text in hostile:
            check(text in facts["text"], "hostile text %r is not shown as text" % text, errors)

        high_sel = 'nav.filters button[data-filter="severity"][data-value="high"]'
        page.click(high_sel)
        vis = page.eval(VISIBLE_ROWS)
        check(vis["visible"] == vis["high"] and vis["visible_not_high"] == 0,
              "after clicking high: %d rows visible, %d of them not high, %d high rows"
              % (vis["visible"], vis["visible_not_high"], vis["high"]), errors)
        check(vis["sections_not_high"] == 0 and vis["rulerows_not_high"] == 0,
              "after clicking high: %d rule sections and %d rule rows not high still visible"
              % (vis["sections_not_high"], vis["rulerows_not_high"]), errors)
        check(vis["shown"] == "%d / %d" % (vis["high"], vis["total"]),
              "after clicking high the counter says %r" % vis["shown"], errors)
        if not hostile:
            check(0 < vis["high"] < vis["total"], "the demo should have high and other rows "
                  "(%d of %d high): the filter test proves nothing" % (vis["high"], vis["total"]),
                  errors)
        page.click('nav.filters button[data-filter="severity"][data-value="all"]')
        vis = page.eval(VISIBLE_ROWS)
        check(vis["visible"] == vis["total"], "after clicking All: %d of %d rows visible"
              % (vis["visible"], vis["total"]), errors)

        # printing: filters hidden, every <details> shown open (CSS only: no beforeprint
        # event fires for emulated print media)
        page.send("Emulation.setEmulatedMedia", {"media": "print"})
        pr = page.eval(PRINT_FACTS)
        page.send("Emulation.setEmulatedMedia", {"media": ""})
        check(pr["nav"] == "none", "printing shows the filters (display %r)" % pr["nav"], errors)
        check(pr["closed"] > 0 and pr["unrendered"] == 0, "printing: %d closed <details>, %d "
              "parts of them not rendered" % (pr["closed"], pr["unrendered"]), errors)

        if artifacts:
            if hostile:
                page.screenshot(os.path.join(artifacts, "report-hostile-%s.png" % lang),
                                scroll_to="#findings")
            else:
                page.screenshot(os.path.join(artifacts, "report-%s.png" % lang))
                page.screenshot(os.path.join(artifacts, "report-%s-findings.png" % lang),
                                scroll_to="#findings")
        facts = page.eval(DOM_FACTS)  # after the clicks: still nothing injected
        check(not facts["alerts"], "dialogs were opened: %s" % facts["alerts"], errors)
        check(facts["scripts"] == 1, "%d script elements after filtering" % facts["scripts"],
              errors)
        errors += page.problems(url)
    except Failure as e:
        errors.append(str(e))
        errors.append("chromium log: " + browser.log_tail())
    finally:
        browser.close()
    timing = "%s: %d bytes, %d resource rows, Chromium launch to load %.0f ms " \
             "(navigation to load %.0f ms)" % (name, len(raw), n_rows, launch_ms, nav_ms)
    return errors, timing


# --- the hostile tenant ---------------------------------------------------------------------

HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "' onmouseover='alert(3)' x='",
    "=cmd|' /C calc'!A0",
    "</td></tr></table><h1>injected</h1>",
]


def sg(i, name, gid):
    return {"provider": "aws", "account": "123456789012", "region": "ap-northeast-1",
            "type": "aws.ec2.security_group", "id": gid, "name": name, "tags": {"Name": name},
            "attrs": {"GroupId": gid, "GroupName": name, "Description": name,
                      "OwnerId": "123456789012", "VpcId": "vpc-0123456789abcdef0",
                      "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                         "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": name}],
                                         "Ipv6Ranges": [], "PrefixListIds": [],
                                         "UserIdGroupPairs": []}],
                      "IpPermissionsEgress": [], "Tags": [{"Key": "Name", "Value": name}]},
            "errors": []}


def write_hostile(path):
    header = {"kensa_snapshot": 1, "tool": "kensa/0.1.0", "provider": "aws",
              "account": "123456789012", "regions": ["ap-northeast-1"],
              "collected_at": "2026-11-01T00:00:00Z", "errors": []}
    lines = [json.dumps(header).encode()]
    for i, name in enumerate(HOSTILE_NAMES):
        lines.append(json.dumps(sg(i, name, "sg-%017x" % i)).encode())
    # a right-to-left override, a newline and a tab in the id; invalid UTF-8 in the name
    lines.append(json.dumps(sg(10, "rlo", "sg-evil\u202egpj.exe\nline2\tx")).encode())
    bad = json.dumps(sg(11, "BADNAME", "sg-00000000000000bad")).encode()
    lines.append(bad.replace(b"BADNAME", b"bad-\xff\xfe-utf8"))
    bucket = {"provider": "aws", "account": "123456789012", "region": "ap-northeast-1",
              "type": "aws.s3.bucket", "id": "b<b>old</b>", "name": "b<b>old</b>", "tags": {},
              "attrs": {"Name": "b<b>old</b>", "BucketRegion": "ap-northeast-1"},
              "errors": [{"path": "PublicAccessBlockConfiguration",
                          "operation": "s3:GetPublicAccessBlock", "code": "AccessDenied",
                          "message": "</script><script>alert(4)</script>"}]}
    lines.append(json.dumps(bucket).encode())
    lines.append(b'{"provider":"aws","id":"<script>alert(5)</script>"')  # not JSON
    with open(path, "wb") as f:
        f.write(b"\n".join(lines) + b"\n")


def write_waivers(path):
    w = {"rule": "aws.ec2.sg_no_public_ssh", "resource": "sg-%017x" % 4,
         "reason": "<script>alert(6)</script> accepted & \"quoted\"", "owner": "o'wner",
         "expires": "2027-03-31", "ticket": "<i>T-1</i>"}
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(w) + "\n")


def scan(kensa, src, snapshot, out, lang, waivers=None):
    cmd = [kensa, "scan", "--snapshot", snapshot, "--baseline", "ismap-moderate",
           "--now", "2026-11-01T00:00:00Z", "--scan-id", "browser-test", "--lang", lang,
           "--format", "json,html", "--output", out, "-q",
           "--baselines-dir", os.path.join(src, "baselines")]
    if waivers:
        cmd += ["--waivers", waivers]
    r = subprocess.run(cmd, capture_output=True, timeout=120)
    if r.returncode not in (0, 1, 3):
        raise Failure("kensa scan exited %d: %s" % (r.returncode, r.stderr.decode(errors="replace")))
    return os.path.join(out, "report.html"), os.path.join(out, "findings.json")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kensa", help="the kensa binary: scan the demo and a hostile tenant")
    ap.add_argument("--src", default=".", help="the source tree (for baselines/ and fixtures/)")
    ap.add_argument("--artifacts", default="build/test-artifacts", help="where screenshots go")
    ap.add_argument("--time", metavar="REPORT", help="only load REPORT and time it")
    ap.add_argument("--findings", help="with --time: check the counts against this findings.json")
    ap.add_argument("--lang", default="en")
    a = ap.parse_args()
    failures = []
    work = tempfile.mkdtemp(prefix="kensa-browser-")
    try:
        if a.time:
            if a.findings:
                errs, timing = check_report(a.time, a.findings, a.lang, None, a.time)
                failures += errs
            else:
                b = Browser()
                try:
                    launch_ms, nav_ms = Page(b).load("file://" + urllib.parse.quote(
                        os.path.abspath(a.time)))
                finally:
                    b.close()
                timing = "%s: %d bytes, Chromium launch to load %.0f ms (navigation to load " \
                         "%.0f ms)" % (a.time, os.path.getsize(a.time), launch_ms, nav_ms)
            print(timing)
        else:
            if not a.kensa:
                ap.error("--kensa BIN or --time REPORT is required")
            demo = os.path.join(a.src, "fixtures", "demo", "tenant.jsonl")
            hostile = os.path.join(work, "hostile-<b>x&amp;'.jsonl")
            write_hostile(hostile)
            waivers = os.path.join(work, "waivers.jsonl")
            write_waivers(waivers)
            shown = HOSTILE_NAMES + ["alert(4)", "[U+202E]", "\ufffd", hostile]
            for lang in ("en", "ja"):
                for name, snap, w, expect in (("demo", demo, None, ()),
                                              ("hostile", hostile, waivers, shown)):
                    out = os.path.join(work, "%s-%s" % (name, lang))
                    report, findings = scan(a.kensa, a.src, snap, out, lang, w)
                    errs, timing = check_report(report, findings, lang, a.artifacts,
                                                "%s-%s" % (name, lang), expect)
                    print(timing)
                    failures += ["%s-%s: %s" % (name, lang, e) for e in errs]
    except Failure as e:
        failures.append(str(e))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    if failures:
        return 1
    print("check_report: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
