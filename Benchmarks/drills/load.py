#!/usr/bin/env python3
"""Order placement load for the drills (Python 3 standard library only).

C worker threads place orders for D seconds against a list of servers, round-robin: each order is
POST /v1/orders with a fresh Idempotency-Key, the buyer's bearer token, 1-3 distinct variants of the
given list (quantity 1 each) and a fixed Đà Nẵng address. A request whose outcome the client cannot
know (connection refused or reset, timeout, 5xx) is retried with the SAME key and body on the next
server, as a real client would, up to --attempts times; a connection error to a server killed by the
drill is expected, and the worker moves on.

Writes a JSON file with every order the client saw succeed (201: id, number, lines, packages, key),
per-server counts (201, 409 short stock, other 4xx, 5xx, connection errors, timeouts), the keys whose
outcome the client never learned, and latency (max, p50, p99; each attempt timed on its own).
It stops by itself after D seconds (a worker finishes the order it is on, bounded by
attempts x timeout).

    load.py --urls http://127.0.0.1:18301,http://127.0.0.1:18302 --token T --variants V1,V2,...
            --duration 20 --concurrency 6 --timeout 5 --out load.json [--payment cod|bank_transfer]
"""
import argparse
import http.client
import json
import random
import socket
import threading
import time
import urllib.parse
import uuid

ADDRESS = {
    "recipient_name": "Nguyễn Thị Mai",
    "phone": "0905123456",
    "province_code": "48",
    "commune_code": "20410",
    "address_line": "12 Trần Phú",
}


class Stats:
    def __init__(self, urls):
        self.lock = threading.Lock()
        self.servers = {
            u: {"attempts": 0, "created_201": 0, "stock_409": 0, "other_4xx": 0, "server_5xx": 0,
                "connection_errors": 0, "refused": 0, "cut": 0, "timeouts": 0}
            for u in urls
        }
        self.orders = []
        self.ambiguous = []  # keys whose final outcome the client never learned
        self.declined = []  # keys answered with a definite non-201 (409/4xx), with the status
        self.latencies = []
        self.errors = []  # first few error samples, for the log
        self.statuses = {}

    def count(self, url, field):
        with self.lock:
            self.servers[url][field] += 1

    def sample(self, text):
        with self.lock:
            if len(self.errors) < 40:
                self.errors.append(text)


class Worker(threading.Thread):
    def __init__(self, index, args, urls, variants, deadline, stats, t0):
        super().__init__(daemon=True)
        self.index = index
        self.args = args
        self.urls = urls
        self.variants = variants
        self.deadline = deadline
        self.stats = stats
        self.t0 = t0
        self.next_server = index % len(urls)
        self.connections = {}
        self.rng = random.Random(args.seed * 1000 + index)

    def connection(self, url):
        conn = self.connections.get(url)
        if conn is None:
            parsed = urllib.parse.urlsplit(url)
            conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=self.args.timeout)
            self.connections[url] = conn
        return conn

    def drop(self, url):
        conn = self.connections.pop(url, None)
        if conn is not None:
            conn.close()

    def attempt(self, url, body, key, number):
        """One request. Returns (status or None, parsed body or None, error kind or None)."""
        request_id = f"{key}.{number}"  # in the server's log lines, to follow one request
        headers = {
            "Content-Type": "application/json",
            "Authorization": "Bearer " + self.args.token,
            "Idempotency-Key": key,
            "X-Request-Id": request_id,
        }
        self.stats.count(url, "attempts")
        started = time.monotonic()
        try:
            conn = self.connection(url)
            conn.request("POST", "/v1/orders", body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                self.drop(url)
        except (socket.timeout, TimeoutError) as e:
            self.drop(url)
            self.record_latency(started)
            self.stats.count(url, "timeouts")
            self.stats.sample(f"{time.time() - self.t0:7.2f}s {url} {request_id} timeout {e!r}")
            return None, None, "timeout"
        except (OSError, http.client.HTTPException) as e:
            self.drop(url)
            self.record_latency(started)
            self.stats.count(url, "connection_errors")
            # Refused: nothing listens (a dead server). Cut: the connection broke with the request
            # sent or on its way (the server died under it, or closed an idle keep-alive connection).
            self.stats.count(url, "refused" if isinstance(e, ConnectionRefusedError) else "cut")
            self.stats.sample(f"{time.time() - self.t0:7.2f}s {url} {request_id} connection error {e!r}")
            return None, None, "connection"
        self.record_latency(started)
        with self.stats.lock:
            self.stats.statuses[str(status)] = self.stats.statuses.get(str(status), 0) + 1
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return status, parsed, None

    def record_latency(self, started):
        elapsed = time.monotonic() - started
        with self.stats.lock:
            self.stats.latencies.append(elapsed)

    def place_one(self):
        count = self.rng.randint(1, min(3, len(self.variants)))
        chosen = self.rng.sample(self.variants, count)
        requested = [{"variant_id": v, "quantity": 1} for v in chosen]
        body = json.dumps(
            {"lines": requested, "shipping_address": ADDRESS, "payment_method": self.args.payment},
            ensure_ascii=False).encode("utf-8")
        key = f"drill-{uuid.uuid4()}"
        for attempt in range(self.args.attempts):
            sent_at = time.time()
            url = self.urls[self.next_server]
            self.next_server = (self.next_server + 1) % len(self.urls)
            status, parsed, error = self.attempt(url, body, key, attempt + 1)
            if error is not None:
                if attempt + 1 < self.args.attempts:
                    time.sleep(self.args.backoff)
                continue
            if status == 201:
                self.stats.count(url, "created_201")
                lines = [{"variant_id": l["variant_id"], "quantity": l["quantity"]}
                         for p in parsed["packages"] for l in p["lines"]]
                with self.stats.lock:
                    self.stats.orders.append({
                        "id": parsed["id"], "number": parsed["number"], "key": key, "server": url,
                        "status": parsed["status"], "attempt": attempt + 1,
                        "packages": [p["id"] for p in parsed["packages"]],
                        "lines": lines, "requested": requested,
                        "at": round(time.time() - self.t0, 3),
                        # When the answering attempt was sent: a retry answered with an order the
                        # database created before that is a replay of an earlier attempt's order.
                        "sent_at": round(sent_at, 6),
                    })
                return
            if status >= 500:
                self.stats.count(url, "server_5xx")
                self.stats.sample(f"{time.time() - self.t0:7.2f}s {url} {status} {str(parsed)[:300]}")
                if attempt + 1 < self.args.attempts:
                    time.sleep(self.args.backoff)
                continue
            # A definite answer: nothing was written (409 short stock, 4xx).
            self.stats.count(url, "stock_409" if status == 409 else "other_4xx")
            if status != 409:
                self.stats.sample(f"{time.time() - self.t0:7.2f}s {url} {status} {str(parsed)[:300]}")
            with self.stats.lock:
                self.stats.declined.append({"key": key, "status": status})
            return
        with self.stats.lock:
            self.stats.ambiguous.append(key)

    def run(self):
        try:
            while time.time() < self.deadline:
                self.place_one()
        finally:
            for url in list(self.connections):
                self.drop(url)


def percentile(values, q):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", required=True, help="comma-separated base URLs")
    parser.add_argument("--token", required=True)
    parser.add_argument("--variants", required=True, help="comma-separated variant ids")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--timeout", type=float, default=5, help="per request, seconds")
    parser.add_argument("--attempts", type=int, default=3, help="tries per order with the same key")
    parser.add_argument("--backoff", type=float, default=0.2, help="seconds between tries")
    parser.add_argument("--payment", default="cod", choices=["cod", "bank_transfer"])
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    urls = [u.rstrip("/") for u in args.urls.split(",") if u]
    variants = [v for v in args.variants.split(",") if v]
    stats = Stats(urls)
    t0 = time.time()
    deadline = t0 + args.duration
    workers = [Worker(i, args, urls, variants, deadline, stats, t0) for i in range(args.concurrency)]
    for w in workers:
        w.start()
    # Each worker stops by itself; the join bound is a safety net (one order's tries past the deadline).
    hard_stop = deadline + args.attempts * (args.timeout + args.backoff) + 5
    for w in workers:
        w.join(max(0.0, hard_stop - time.time()))
    stuck = sum(1 for w in workers if w.is_alive())
    t1 = time.time()

    with stats.lock:
        lat = list(stats.latencies)
        result = {
            "started_at": t0, "ended_at": t1, "duration": round(t1 - t0, 3), "timeout": args.timeout,
            "concurrency": args.concurrency, "payment": args.payment, "urls": urls, "variants": variants,
            "servers": stats.servers, "statuses": stats.statuses,
            "orders": stats.orders, "ambiguous_keys": stats.ambiguous, "declined": stats.declined,
            "stuck_workers": stuck,
            "latency": {"count": len(lat), "max": round(max(lat, default=0), 4),
                        "p50": round(percentile(lat, 0.5), 4), "p99": round(percentile(lat, 0.99), 4),
                        "over_timeout_plus_1s": sum(1 for x in lat if x > args.timeout + 1)},
            "error_samples": stats.errors,
        }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)

    total = {k: sum(s[k] for s in stats.servers.values()) for k in next(iter(stats.servers.values()))}
    print(f"load: {result['duration']:.1f}s, {args.concurrency} workers, {len(urls)} servers: "
          f"{len(stats.orders)} orders placed, {total['stock_409']} short-stock 409, "
          f"{total['other_4xx']} other 4xx, {total['server_5xx']} 5xx, "
          f"{total['connection_errors']} connection errors, {total['timeouts']} timeouts, "
          f"{len(stats.ambiguous)} orders with unknown outcome; latency p50 {result['latency']['p50'] * 1000:.0f} ms, "
          f"p99 {result['latency']['p99'] * 1000:.0f} ms, max {result['latency']['max'] * 1000:.0f} ms")
    for url, s in stats.servers.items():
        print(f"  {url}: " + ", ".join(f"{k} {v}" for k, v in s.items()))
    if stuck:
        print(f"load: {stuck} worker(s) still running at the hard stop")


if __name__ == "__main__":
    main()
