#!/usr/bin/python3
"""fault_server.py - a scripted HTTP(S) server for the HTTP engine's tests.

Started by tests/unit/net/test_http*.c on a free loopback port (stdlib only, plus
python3-cryptography for --tls). It prints "PORT <n>" on stdout once it listens and
exits when its stdin closes, so a test process that dies cannot leave it behind.

    fault_server.py [--bind 127.0.0.1,127.0.0.2] [--tls DIR]

--bind listens on several loopback addresses with one port (per-host tests).
--tls DIR generates a CA and a server certificate for 127.0.0.1/localhost at start,
writes DIR/ca.pem and serves HTTPS.

Routes (query parameters in brackets):
  /ok[body]                    200 with body (default "ok")
  /sleep[ms]                   sleep, then 200 "slept"
  /throttle[key,n,status,retry_after]
                               the first n hits per key get status (429) with
                               Retry-After when given, then 200 "served <key>"
  /status[code]                always that status
  /reset[key,n]                the first n hits per key: headers announcing 1000
                               bytes, 100 bytes of body, then a TCP reset; then 200
  /stall[s]                    headers announcing 1000 bytes, 10 bytes, then sleep s
  /big[bytes,chunked]          a body of that many bytes (chunked encoding if chunked=1)
  /creds                       200, an STS-like XML body holding fake credentials
  /echo                        200, JSON of the request (method, path, headers, body)
  /_stats                      JSON: max_active, max_per_host {Host: n}, hits {key: n},
                               requests [{method, path, host, peer, headers, body, t0, t1}]
Requests to /_stats are not counted.
"""
import argparse
import datetime
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.per_host = {}
        self.max_per_host = {}
        self.hits = {}
        self.requests = []

    def enter(self, host):
        with self.lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            n = self.per_host.get(host, 0) + 1
            self.per_host[host] = n
            self.max_per_host[host] = max(self.max_per_host.get(host, 0), n)

    def leave(self, host):
        with self.lock:
            self.active -= 1
            self.per_host[host] -= 1

    def hit(self, key):
        with self.lock:
            n = self.hits.get(key, 0) + 1
            self.hits[key] = n
            return n


STATE = State()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def done_counting(self):
        # A request stops counting as active when its response starts: once the
        # bytes are on the wire the client may start its next transfer before
        # this thread runs again, and counting until then would see one extra.
        host = getattr(self, "active_host", None)
        if host is not None:
            self.active_host = None
            STATE.leave(host)

    def send_body(self, status, body, headers=()):
        if isinstance(body, str):
            body = body.encode()
        self.done_counting()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        url = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if url.path == "/_stats":
            with STATE.lock:
                data = json.dumps({"max_active": STATE.max_active,
                                   "max_per_host": STATE.max_per_host,
                                   "hits": STATE.hits, "requests": STATE.requests})
            self.send_body(200, data, [("Content-Type", "application/json")])
            return
        host = self.headers.get("Host", "")
        rec = {"method": self.command, "path": self.path, "host": host,
               "peer": "%s:%d" % self.client_address[:2],
               "headers": [[k, v] for k, v in self.headers.items()],
               "body": body.decode("utf-8", "replace"), "t0": time.time()}
        STATE.enter(host)
        self.active_host = host
        try:
            self.route(url.path, q, rec, body)
        finally:
            self.done_counting()
            rec["t1"] = time.time()
            with STATE.lock:
                STATE.requests.append(rec)

    def route(self, path, q, rec, body):
        if path == "/ok":
            self.send_body(200, q.get("body", "ok"))
        elif path == "/sleep":
            time.sleep(int(q.get("ms", "100")) / 1000)
            self.send_body(200, "slept")
        elif path == "/throttle":
            key = q.get("key", "k")
            if STATE.hit(key) <= int(q.get("n", "1")):
                hdrs = [("Retry-After", q["retry_after"])] if "retry_after" in q else []
                self.send_body(int(q.get("status", "429")), "throttled", hdrs)
            else:
                self.send_body(200, "served " + key)
        elif path == "/status":
            self.send_body(int(q.get("code", "503")), "status " + q.get("code", "503"))
        elif path == "/reset":
            key = q.get("key", "k")
            if STATE.hit(key) <= int(q.get("n", "1")):
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"x" * 100)
                self.wfile.flush()
                # SO_LINGER 0: close() sends RST instead of FIN.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
            else:
                self.send_body(200, "after reset " + key)
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"y" * 10)
            self.wfile.flush()
            time.sleep(float(q.get("s", "30")))
            self.close_connection = True
        elif path == "/big":
            size = int(q.get("bytes", "1000"))
            if q.get("chunked") == "1":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                left = size
                while left > 0:
                    c = min(left, 1024)
                    self.wfile.write(b"%x\r\n" % c + b"z" * c + b"\r\n")
                    left -= c
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.send_body(200, b"z" * size)
        elif path == "/creds":
            self.send_body(200, "<AssumeRoleResponse><Credentials><AccessKeyId>ASIAEXAMPLE"
                           "</AccessKeyId><SecretAccessKey>BODYSECRETxyz</SecretAccessKey>"
                           "<SessionToken>BODYTOKENxyz</SessionToken></Credentials>"
                           "</AssumeRoleResponse>", [("Content-Type", "text/xml")])
        elif path == "/echo":
            self.send_body(200, json.dumps({"method": rec["method"], "path": rec["path"],
                                            "headers": rec["headers"],
                                            "body": body.decode("utf-8", "replace")}),
                           [("Content-Type", "application/json")])
        else:
            self.send_body(404, "no route " + path)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # resets and timeouts are the point of this server


def make_tls(directory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    now = datetime.datetime.utcnow()
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kensa test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(hours=1))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    with open(os.path.join(directory, "ca.pem"), "wb") as f:
        f.write(ca.public_bytes(pem))
    chain = os.path.join(directory, "server.pem")
    with open(chain, "wb") as f:
        f.write(cert.public_bytes(pem))
        f.write(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(chain)
    return ctx


def watch_stdin():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--tls")
    args = ap.parse_args()
    ctx = make_tls(args.tls) if args.tls else None
    servers, port = [], 0
    for addr in args.bind.split(","):
        srv = Server((addr, port), Handler)
        port = srv.server_address[1]
        if ctx:
            srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        servers.append(srv)
    for srv in servers:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    threading.Thread(target=watch_stdin, daemon=True).start()
    sys.stdout.write("PORT %d\n" % port)
    sys.stdout.flush()
    threading.Event().wait()


if __name__ == "__main__":
    main()
