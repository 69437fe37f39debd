"""Seeded generators of machine-made text files (a server log, CSV/TSV tables, JSON and XML dumps,
minified JavaScript, a table of numbers) for the prose-or-data tests and benchmarks/datafiles.py."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

_WORDS = (
    "order payment customer delivery invoice warehouse parcel refund cart stock price address shipment "
    "account session cache request queue retry backoff timeout report region supplier discount"
).split()
_ADJ = "Blue Red Green Black White Large Small Organic Wireless Vintage Classic Compact Premium".split()
_MAT = "Cotton Steel Oak Leather Ceramic Bamboo Wool Glass Copper Linen".split()
_NOUN = "T-Shirt Kettle Desk Lamp Backpack Mug Chair Headphones Notebook Blanket Jacket Bottle".split()
_CATEGORY = ("Clothing", "Kitchen", "Furniture", "Electronics", "Stationery", "Outdoors")
_CITIES = (("Lyon", "FR"), ("Porto", "PT"), ("Leeds", "GB"), ("Graz", "AT"), ("Turin", "IT"), ("Ghent", "BE"))
_NAMES = "Anna Ben Chloe David Emma Farid Greta Hugo Ines Jonas Karim Lea Marco Nora Omar Paula".split()
_SURNAMES = "Martin Silva Brown Huber Rossi Peeters Novak Weber Dubois Costa Jansen Moreau".split()
# Sentences people wrote (feedback forms, notes): real English inside machine-made lines.
_SENTENCES = (
    "The parcel arrived two days late and the box was damaged, but everything inside was fine.",
    "Please leave the delivery with the neighbour at number twelve if nobody answers the door.",
    "I was charged twice for the same order and would like one of the payments refunded.",
    "Great quality for the price, I will certainly order again for the whole family.",
    "The colour in the photos looks much brighter than the product I actually received.",
    "Could you tell me when the larger size will be back in stock?",
    "The assembly instructions were missing, so it took us an hour to work out how the legs fit.",
    "Customer service answered quickly and sent a replacement without any fuss.",
)
_LEVELS = ("INFO",) * 15 + ("DEBUG",) * 3 + ("WARN",) * 2 + ("ERROR",)
_PATHS = ("/api/v1/products/{n}", "/api/v1/cart", "/api/v1/orders/{n}", "/static/js/app.{h}.js", "/search?q={w}")
_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "curl/8.5.0",
)


def _sized(path: str | Path, mb: float, lines: Iterator[str]) -> None:
    """Write lines until the file holds `mb` megabytes (10**6 bytes)."""
    limit, size = int(mb * 1_000_000), 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            fh.write(line)
            size += len(line.encode("utf-8"))
            if size >= limit:
                break


def _message(rng: random.Random) -> tuple[str, str]:
    """(logger, message) of one ordinary log line."""
    n, w = rng.randint(1, 99999), rng.choice(_WORDS)
    kind = rng.randrange(9)
    if kind < 3:
        path = rng.choice(_PATHS).format(n=n, h=f"{rng.getrandbits(32):08x}", w=w)
        ip = f"10.{rng.randint(0, 9)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        verb = rng.choice(("GET", "GET", "GET", "POST", "PUT"))
        status = rng.choice((200, 200, 200, 201, 304, 404, 500))
        agent = rng.choice(_AGENTS)
        return (
            "access",
            f'{ip} "{verb} {path} HTTP/1.1" {status} {rng.randint(200, 90000)} "{agent}" {rng.randint(1, 900)}ms',
        )
    if kind == 3:
        items, total = rng.randint(1, 9), rng.uniform(5, 900)
        return (
            "c.s.orders.OrderService",
            f"Order {n} placed by customer {rng.randint(1, 9999)}: {items} items, total {total:.2f} EUR",
        )
    if kind == 4:
        uuid = f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"
        return (
            "c.s.pay.PaymentGateway",
            f"Payment {uuid} authorised by {rng.choice(('stripe', 'adyen', 'paypal'))} in {rng.randint(40, 3000)} ms",
        )
    if kind == 5:
        return "c.s.feedback.FeedbackController", f'Customer {n} wrote: "{rng.choice(_SENTENCES)}"'
    if kind == 6:
        return (
            "c.s.cache.CatalogCache",
            f"Cache refresh for region {rng.choice(_CITIES)[1]} finished: {n} entries in {rng.randint(5, 999)} ms",
        )
    if kind == 7:
        return (
            "c.s.jobs.Scheduler",
            f"The nightly {w} report could not reach the reporting database, so it will run again in {rng.randint(2, 30)} minutes.",
        )
    return (
        "com.zaxxer.hikari.pool.HikariPool",
        f"HikariPool-1 - Pool stats (total={rng.randint(5, 20)}, active={rng.randint(0, 20)}, idle={rng.randint(0, 9)}, waiting=0)",
    )


def _stack_trace(rng: random.Random) -> list[str]:
    """A Java exception with frames and a cause, as loggers print them under an ERROR line."""
    exc = rng.choice(
        ("java.lang.NullPointerException", "java.sql.SQLTransientConnectionException", "java.io.IOException")
    )
    lines = [
        f"{exc}: {rng.choice(('Connection reset by peer', 'Cannot invoke String.length() because value is null', 'Read timed out'))}"
    ]
    for _ in range(rng.randint(6, 24)):
        cls = f"com.shop.{rng.choice(_WORDS)}.{rng.choice(_WORDS).title()}{rng.choice(('Service', 'Repository', 'Controller'))}"
        lines.append(f"\tat {cls}.{rng.choice(_WORDS)}({cls.rsplit('.', 1)[1]}.java:{rng.randint(20, 900)})")
    lines.append(f"Caused by: java.net.SocketTimeoutException: timeout after {rng.randint(1, 60)}s")
    lines.append(f"\t... {rng.randint(8, 60)} more")
    return lines


def _log_lines(seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    t = datetime(2024, 3, 5, 6, 0, 0)
    while True:
        t += timedelta(milliseconds=rng.randint(1, 1500))
        level, thread = rng.choice(_LEVELS), f"http-nio-8080-exec-{rng.randint(1, 40)}"
        logger, msg = _message(rng)
        extra: list[str] = []
        if level == "ERROR" and rng.random() < 0.5:
            msg = "Unhandled exception while processing the request; the customer was shown an error page."
            extra = _stack_trace(rng)
        elif level == "DEBUG" and rng.random() < 0.1:
            body = {
                "cart": rng.randint(1, 9999),
                "items": [{"sku": f"SKU-{rng.randint(1000, 9999)}", "qty": rng.randint(1, 4)}],
            }
            extra = ["Request body:", *json.dumps(body, indent=2).split("\n")]
        stamp = t.strftime("%Y-%m-%d %H:%M:%S") + f",{t.microsecond // 1000:03d}"
        yield f"{stamp} {level:<5} [{thread}] {logger} - {msg}\n" + "".join(x + "\n" for x in extra)


def write_log(path: str | Path, mb: float, *, seed: int = 7) -> None:
    """A web shop's application server log: access lines, orders, payments, warnings in plain English,
    customers' own words, pool stats, Java stack traces now and then, an indented JSON body."""
    _sized(path, mb, _log_lines(seed))


def _order_rows(seed: int) -> Iterator[list[str]]:
    rng = random.Random(seed)
    yield "order_id,order_date,customer,email,city,country,sku,product,category,quantity,unit_price,total,status,note".split(
        ","
    )
    day = datetime(2023, 1, 1)
    for order_id in range(100000, 10**9):
        day += timedelta(minutes=rng.randint(1, 90))
        first, last = rng.choice(_NAMES), rng.choice(_SURNAMES)
        city, country = rng.choice(_CITIES)
        qty, price = rng.randint(1, 6), rng.uniform(2, 400)
        note = (
            rng.choice(_SENTENCES)
            if rng.random() < 0.15
            else rng.choice(("", "", "", "gift wrap", "urgent, call first"))
        )
        product = f"{rng.choice(_ADJ)} {rng.choice(_MAT)} {rng.choice(_NOUN)}"
        yield [
            str(order_id), day.strftime("%Y-%m-%d %H:%M"), f"{first} {last}", f"{first}.{last}@example.com".lower(),
            city, country, f"SKU-{rng.randint(1000, 9999)}", product, rng.choice(_CATEGORY), str(qty),
            f"{price:.2f}", f"{qty * price:.2f}", rng.choice(("paid", "shipped", "delivered", "refunded")), note,
        ]  # fmt: skip


def _table(path: str | Path, mb: float, seed: int, delimiter: str) -> None:
    limit = int(mb * 1_000_000)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        for row in _order_rows(seed):
            writer.writerow(row)
            if fh.tell() >= limit:
                break


def write_csv(path: str | Path, mb: float, *, seed: int = 11) -> None:
    """A shop's orders table: ids, dates, names, e-mails, products, prices, free-text notes (quoted when
    they hold commas)."""
    _table(path, mb, seed, ",")


def write_tsv(path: str | Path, mb: float, *, seed: int = 13) -> None:
    """The orders table with tabs between columns."""
    _table(path, mb, seed, "\t")


def _records(seed: int) -> Iterator[dict[str, object]]:
    keys = next(rows := _order_rows(seed))
    for row in rows:
        rec: dict[str, object] = dict(zip(keys, row))
        rec["quantity"], rec["total"] = int(row[9]), float(row[11])
        yield rec


def _bounded(mb: float, items: Iterator[str]) -> list[str]:
    """Items until their lengths add up to `mb` megabytes."""
    out, size = [], 0
    for item in items:
        out.append(item)
        size += len(item)
        if size >= mb * 1_000_000:
            break
    return out


def write_json(path: str | Path, mb: float, *, indent: int | None = 2, seed: int = 17) -> None:
    """A JSON dump: an array of order records, pretty-printed (`indent`) or on one line (None)."""
    records = _bounded(mb, (json.dumps(r, indent=indent) for r in _records(seed)))
    Path(path).write_text("[" + (",\n" if indent is not None else ", ").join(records) + "]\n")


def write_jsonl(path: str | Path, mb: float, *, seed: int = 19) -> None:
    """One JSON record a line (.jsonl / .ndjson)."""
    Path(path).write_text("".join(_bounded(mb, (json.dumps(r) + "\n" for r in _records(seed)))))


def write_xml(path: str | Path, mb: float, *, seed: int = 23) -> None:
    """An XML export of the orders, one element per field."""

    def items() -> Iterator[str]:
        yield '<?xml version="1.0" encoding="UTF-8"?>\n<orders>\n'
        for r in _records(seed):
            fields = "".join(f"    <{k}>{_xml_escape(str(v))}</{k}>\n" for k, v in r.items() if v != "")
            yield f'  <order id="{r["order_id"]}">\n{fields}  </order>\n'

    Path(path).write_text("".join(_bounded(mb, items())) + "</orders>\n")


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_minified_js(path: str | Path, mb: float, *, seed: int = 29) -> None:
    """Minified JavaScript: short names, no indentation, a few very long lines."""
    rng = random.Random(seed)

    def name() -> str:
        return rng.choice("abcdefghijklmnopqrstuvwxyz") + rng.choice(("", "e", "t", "n", "r", "_", "$", "0", "1"))

    stmts: list[Callable[[], str]] = [
        lambda: (
            f"function {name()}({name()},{name()}){{return {name()}.{rng.choice(_WORDS)}({name()})||{rng.randint(0, 99)}}}"
        ),
        lambda: (
            f'var {name()}={name()}("{rng.choice(_WORDS)}"),{name()}={{{name()}:{rng.randint(0, 999)},{name()}:!0}};'
        ),
        lambda: f'if(!{name()}&&{name()}.length>{rng.randint(1, 9)})throw new Error("{rng.choice(_WORDS)}");',
        lambda: (
            f"for(var {name()}=0;{name()}<{name()}.length;{name()}++){name()}[{name()}]={name()}[{name()}]<<{rng.randint(1, 8)};"
        ),
    ]

    def lines() -> Iterator[str]:
        yield "/*! shop-bundle v3.2.1 | MIT */\n"
        while True:
            yield "".join(rng.choice(stmts)() for _ in range(rng.randint(200, 600))) + "\n"

    _sized(path, mb, lines())


def write_numbers(path: str | Path, mb: float, *, seed: int = 31) -> None:
    """A table of measurements in a .txt: a date, a station number and readings, space-aligned."""
    rng = random.Random(seed)

    def lines() -> Iterator[str]:
        yield "date        station   temp    humidity  pressure  wind\n"
        t = datetime(2020, 1, 1)
        while True:
            t += timedelta(hours=1)
            yield (
                f"{t:%Y-%m-%d %H:%M}  {rng.randint(1000, 1099):<8}  {rng.uniform(-10, 35):6.2f}  "
                f"{rng.uniform(10, 100):7.1f}  {rng.uniform(980, 1040):8.1f}  {rng.uniform(0, 25):5.1f}\n"
            )

    _sized(path, mb, lines())
