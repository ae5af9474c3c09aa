#!/usr/bin/env python3
"""Polls GET /readyz on each server every --interval seconds for --duration seconds (one thread per
server) and writes every answer to a JSON file: {url: [[unix time, status or 0 for no answer,
seconds taken], ...]}. Python 3 standard library only; stops by itself."""
import argparse
import http.client
import json
import threading
import time
import urllib.parse


def poll(url, args, deadline, out):
    parsed = urllib.parse.urlsplit(url)
    while time.time() < deadline:
        started = time.time()
        status = 0
        try:
            conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=args.timeout)
            conn.request("GET", "/readyz")
            response = conn.getresponse()
            response.read()
            status = response.status
            conn.close()
        except (OSError, http.client.HTTPException):
            status = 0
        took = time.time() - started
        out.append([round(started, 3), status, round(took, 3)])
        time.sleep(max(0.0, args.interval - took))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--urls", required=True)
    parser.add_argument("--duration", type=float, required=True)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--timeout", type=float, default=5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    deadline = time.time() + args.duration
    results = {}
    threads = []
    for url in [u.rstrip("/") for u in args.urls.split(",") if u]:
        results[url] = []
        t = threading.Thread(target=poll, args=(url, args, deadline, results[url]), daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join(args.duration + args.timeout + 5)
    with open(args.out, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
