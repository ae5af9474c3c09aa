#!/usr/bin/env python3
"""The database checks the drills share (Python 3 standard library; queries through psql).

    checks.py orders --load load.json --buyer UUID --variants V1,V2 --start-stock N --psql PSQL --port P
        (a)  every order the client saw succeed exists, with the same lines (variant, quantity) and
             the same packages, and its lines are the ones requested
        (a') every order of the drill's buyer in the database was seen by the client, or belongs to
             a request whose outcome the client never learned (killed server, timeout, 5xx)
        (b)  no partial order anywhere: no order without packages, no package without lines, no line
             whose package belongs to another order, totals of orders and packages = their lines
        (c)  per variant: stock_on_hand + quantities held by the buyer's live packages = start
    checks.py expiries --buyer UUID --variants ... --start-stock N --psql PSQL --port P
        the two-workers checks (see that drill)

Prints one PASS/FAIL line per check; exit status 1 if any failed.
"""
import argparse
import json
import subprocess
import sys

# Package states that no longer hold stock (it went back, or will when scanned back).
ENDED = ("rejected", "cancelled", "expired", "returned")

failures = 0


def report(name, ok, detail, extra=()):
    global failures
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    if not ok:
        failures += 1
        for line in list(extra)[:10]:
            print(f"      {line}")


class DB:
    def __init__(self, psql, port, database="market"):
        self.cmd = [psql, "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-X", "-q", "-At",
                    "-v", "ON_ERROR_STOP=1", database]

    def json(self, sql):
        out = subprocess.run(self.cmd + ["-c", f"SELECT coalesce(json_agg(t), '[]') FROM ({sql}) t"],
                             check=True, capture_output=True, text=True).stdout
        return json.loads(out)

    def value(self, sql):
        return subprocess.run(self.cmd + ["-c", sql], check=True, capture_output=True, text=True).stdout.strip()


def line_set(lines):
    return sorted((l["variant_id"].lower(), int(l["quantity"])) for l in lines)


def buyer_orders(db, buyer):
    return db.json(f"""
        SELECT o.id, o.number, o.status, o.payment_method, extract(epoch FROM o.created_at)::float8 AS created,
            (SELECT coalesce(json_agg(p.id ORDER BY p.id), '[]') FROM packages p WHERE p.order_id = o.id) AS packages,
            (SELECT coalesce(json_agg(json_build_object('variant_id', l.variant_id, 'quantity', l.quantity)), '[]')
               FROM order_lines l WHERE l.order_id = o.id) AS lines,
            (SELECT k.key FROM idempotency_keys k WHERE k.order_id = o.id) AS key
        FROM orders o WHERE o.buyer_id = '{buyer}'""")


def check_partial(db):
    """(b) over the whole database."""
    rows = db.json("""
        SELECT 'order without packages' AS what, o.number AS id FROM orders o
            WHERE NOT EXISTS (SELECT 1 FROM packages p WHERE p.order_id = o.id)
        UNION ALL
        SELECT 'package without lines', p.number FROM packages p
            WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.package_id = p.id)
        UNION ALL
        SELECT 'line whose package belongs to another order', l.id::text FROM order_lines l
            JOIN packages p ON p.id = l.package_id WHERE p.order_id <> l.order_id
        UNION ALL
        SELECT 'package total differs from its lines', p.number FROM packages p
            WHERE p.items_total_vnd <> (SELECT coalesce(sum(l.line_total_vnd), 0) FROM order_lines l WHERE l.package_id = p.id)
        UNION ALL
        SELECT 'order total differs from its packages', o.number FROM orders o
            WHERE o.items_total_vnd <> (SELECT coalesce(sum(p.items_total_vnd), 0) FROM packages p WHERE p.order_id = o.id)
               OR o.shipping_total_vnd <> (SELECT coalesce(sum(p.shipping_fee_vnd), 0) FROM packages p WHERE p.order_id = o.id)""")
    totals = db.json("SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM packages) AS packages, "
                     "(SELECT count(*) FROM order_lines) AS lines")[0]
    report("(b) no partial order", not rows,
           f"{totals['orders']} orders, {totals['packages']} packages, {totals['lines']} lines in the database; "
           f"{len(rows)} problems", [f"{r['what']}: {r['id']}" for r in rows])


def check_stock(db, buyer, variants, start):
    """(c) stock + what the buyer's live packages hold = the starting stock, per variant."""
    ended = ", ".join(f"'{s}'" for s in ENDED)
    ids = ",".join(variants)
    rows = db.json(f"""
        SELECT v.id, v.sku, v.stock_on_hand AS stock,
            coalesce((SELECT sum(l.quantity) FROM order_lines l JOIN packages p ON p.id = l.package_id
                      JOIN orders o ON o.id = l.order_id
                      WHERE l.variant_id = v.id AND o.buyer_id = '{buyer}' AND p.status NOT IN ({ended})), 0) AS held,
            coalesce((SELECT sum(l.quantity) FROM order_lines l JOIN packages p ON p.id = l.package_id
                      JOIN orders o ON o.id = l.order_id
                      WHERE l.variant_id = v.id AND o.buyer_id = '{buyer}' AND p.status IN ({ended})), 0) AS released
        FROM product_variants v WHERE v.id = ANY(string_to_array('{ids}', ',')::uuid[]) ORDER BY v.sku""")
    bad = [r for r in rows if r["stock"] + r["held"] != start]
    detail = "; ".join(f"{r['sku']}: {r['stock']} + {r['held']} held = {r['stock'] + r['held']}"
                       + (f" ({r['released']} released)" if r["released"] else "") for r in rows)
    report("(c) stock + held = starting stock", not bad and len(rows) == len(variants),
           f"start {start} each; {detail}",
           [f"{r['sku']} ({r['id']}): {r['stock']} + {r['held']} = {r['stock'] + r['held']} != {start}" for r in bad])
    return rows


def cmd_orders(args):
    db = DB(args.psql, args.port)
    load = json.load(open(args.load, encoding="utf-8"))
    seen = {o["id"]: o for o in load["orders"]}
    in_db = {o["id"]: o for o in buyer_orders(db, args.buyer)}

    # (a) every order the client saw succeed exists with the same lines and packages.
    problems = []
    duplicates = len(load["orders"]) - len(seen)
    for order in load["orders"]:
        if line_set(order["lines"]) != line_set(order["requested"]):
            problems.append(f"{order['number']}: answered lines {order['lines']} != requested {order['requested']}")
    for oid, order in seen.items():
        row = in_db.get(oid)
        if row is None:
            problems.append(f"{order['number']} ({oid}) answered 201 by {order['server']} but not in the database")
            continue
        if row["number"] != order["number"]:
            problems.append(f"{oid}: number {row['number']} != answered {order['number']}")
        if line_set(row["lines"]) != line_set(order["lines"]):
            problems.append(f"{order['number']}: lines in DB {line_set(row['lines'])} != answered {line_set(order['lines'])}")
        if sorted(row["packages"]) != sorted(order["packages"]):
            problems.append(f"{order['number']}: packages in DB {row['packages']} != answered {order['packages']}")
        if row["key"] != order["key"]:
            problems.append(f"{order['number']}: idempotency key in DB {row['key']} != sent {order['key']}")
    retried = sum(1 for o in load["orders"] if o["attempt"] > 1)
    # A retry answered with an order the database created before the retry was sent: an earlier
    # attempt committed it and its answer was lost (the idempotency key replayed it).
    replayed = sum(1 for o in load["orders"] if o["attempt"] > 1 and o["id"] in in_db
                   and in_db[o["id"]]["created"] < o["sent_at"])
    report("(a) every order the client saw succeed exists with its lines and packages", not problems,
           f"{len(seen)} orders answered 201 ({retried} after a retry with the same key, {replayed} of them "
           f"replays of an order an earlier attempt had committed"
           + (f", {duplicates} answered twice" if duplicates else "") + f"); {len(problems)} problems", problems)

    # (a') nothing committed behind the client's back, except where the client could not know.
    ambiguous = set(load["ambiguous_keys"])
    declined = {r["key"]: r["status"] for r in load["declined"]}
    unseen = [o for oid, o in in_db.items() if oid not in seen]
    unexplained = [o for o in unseen if o["key"] not in ambiguous]
    report("(a') every order in the database was answered 201, or its request's outcome was unknown to the client",
           not unexplained,
           f"{len(in_db)} orders of the drill buyer in the database, {len(unseen)} not answered 201 "
           f"({len(unseen) - len(unexplained)} of {len(ambiguous)} requests with unknown outcome committed)",
           [f"{o['number']} key {o['key']}: the client was answered {declined.get(o['key'], 'nothing recorded')}"
            for o in unexplained])

    check_partial(db)
    check_stock(db, args.buyer, args.variants.split(","), args.start_stock)


def cmd_expiries(args):
    db = DB(args.psql, args.port)
    orders = buyer_orders(db, args.buyer)
    by_status = {}
    for o in orders:
        by_status[o["status"]] = by_status.get(o["status"], 0) + 1
    report("every bank-transfer order was released", by_status.get("awaiting_payment", 0) == 0 and len(orders) > 0,
           f"{len(orders)} orders: " + ", ".join(f"{k} {v}" for k, v in sorted(by_status.items())),
           [f"{o['number']} still {o['status']}" for o in orders if o["status"] == "awaiting_payment"])

    rows = db.json(f"""
        SELECT o.number, o.status,
            (SELECT count(*) FROM outbox x WHERE x.aggregate_id = o.id AND x.topic = 'order.expired') AS order_expired,
            (SELECT count(*) FROM packages p WHERE p.order_id = o.id) AS packages,
            (SELECT count(*) FROM packages p WHERE p.order_id = o.id AND p.status = 'expired') AS packages_expired,
            (SELECT count(*) FROM outbox x JOIN packages p ON p.id = x.aggregate_id
               WHERE p.order_id = o.id AND x.topic = 'package.expired') AS package_expired_rows
        FROM orders o WHERE o.buyer_id = '{args.buyer}'""")
    expired = [r for r in rows if r["status"] == "expired"]
    bad = [r for r in expired if r["order_expired"] != 1 or r["package_expired_rows"] != r["packages"]
           or r["packages_expired"] != r["packages"]]
    stray = [r for r in rows if r["status"] != "expired" and r["order_expired"] != 0]
    report("each expired order has exactly one order.expired outbox row (and one package.expired per package)",
           not bad and not stray,
           f"{len(expired)} expired orders, {sum(r['order_expired'] for r in expired)} order.expired rows, "
           f"{sum(r['packages'] for r in expired)} packages, {sum(r['package_expired_rows'] for r in expired)} "
           f"package.expired rows",
           [f"{r['number']}: {r['order_expired']} order.expired, {r['package_expired_rows']} package.expired for "
            f"{r['packages']} packages ({r['packages_expired']} expired)" for r in bad + stray])

    stock = check_stock(db, args.buyer, args.variants.split(","), args.start_stock)
    released = sum(r["released"] for r in stock)
    back = all(r["stock"] == args.start_stock for r in stock) if not any(r["held"] for r in stock) else None
    if back is not None:
        report("stock returned exactly once", back,
               f"{released} units released by expiries; every variant back at exactly {args.start_stock}",
               [f"{r['sku']}: {r['stock']} (start {args.start_stock})" for r in stock if r["stock"] != args.start_stock])
    check_partial(db)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["orders", "expiries"])
    parser.add_argument("--load")
    parser.add_argument("--buyer", required=True)
    parser.add_argument("--variants", required=True)
    parser.add_argument("--start-stock", type=int, required=True)
    parser.add_argument("--psql", default="psql")
    parser.add_argument("--port", required=True)
    args = parser.parse_args()
    {"orders": cmd_orders, "expiries": cmd_expiries}[args.command](args)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
