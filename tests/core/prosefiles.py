"""Seeded writers of prose that looks machine-made in places (mail headers, option tables, a Markdown
table, C code, reviews in a CSV, Japanese without spaces) for the prose-or-data tests."""

from __future__ import annotations

import csv
import io
import random

_SENTENCES = (
    "The committee met on Tuesday to discuss the budget for the new library wing.",
    "Most of the discussion was about whether the reading room should face the river or the park.",
    "I have attached the minutes, but the short version is that nothing was decided.",
    "Could you look over the figures before Friday and tell me if anything seems wrong?",
    "The contractor says the foundations can be poured as soon as the ground dries out.",
    "We still need somebody to write to the neighbours about the noise during the spring.",
    "Thank you for sending the photographs; the old staircase looks better than I remembered.",
    "If the grant comes through, the children's section will get new shelves and a reading corner.",
    "Please remember that the building is closed on the first Monday of every month.",
    "The architect would like to know how many people are expected at the opening.",
    "Backups run every night at two, and a full copy is kept for thirty days.",
    "When the disk fills up, the oldest snapshots are removed first, never the newest one.",
)


def _paragraph(rng: random.Random, n: int = 4) -> str:
    return " ".join(rng.sample(_SENTENCES, n))


def mbox(messages: int = 12, *, seed: int = 3) -> str:
    """A mail export: full headers (Received chains, DKIM, Message-IDs, dates) over short letters and
    quoted replies, the way a mail client writes an .mbox."""
    rng = random.Random(seed)
    out = []
    for i in range(messages):
        day, hour = rng.randint(1, 28), rng.randint(7, 22)
        date = f"Tue, {day} May 2024 {hour:02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} +0200"
        mid = f"<{rng.getrandbits(64):016x}.{i}@mail.example.org>"
        out += [
            f"From anna@example.org {date}",
            f"Received: from mail-{rng.randint(1, 9)}.example.org (mail.example.org [192.0.2.{rng.randint(1, 254)}]) by mx.example.net with ESMTPS id {rng.getrandbits(40):x}; {date}",
            f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=mail; t={1714000000 + i * 3600}; bh={rng.getrandbits(128):032x}",
            f"Message-ID: {mid}",
            f"Date: {date}",
            "From: Anna Martin <anna@example.org>",
            "To: Ben Huber <ben@example.net>",
            f"Subject: Re: library wing, part {i + 1}",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "Hi Ben,",
            "",
            _paragraph(rng),
            "",
            _paragraph(rng, 3),
            "",
            "> " + rng.choice(_SENTENCES),
            "> " + rng.choice(_SENTENCES),
            "",
            "Best wishes,",
            "Anna",
            "",
        ]  # fmt: skip
    return "\n".join(out)


def markdown_article(*, seed: int = 5) -> str:
    """A long article with headings, lists, a code block and a 15-row table in the middle."""
    rng = random.Random(seed)
    parts = ["# Renovating the library", ""]
    for section in ("Background", "The plan", "Costs", "What comes next"):
        parts += [f"## {section}", "", _paragraph(rng, 5), "", _paragraph(rng, 4), ""]
        if section == "Costs":
            parts += ["| item | supplier | cost (EUR) | due |", "|---|---|---|---|"]
            parts += [
                f"| {rng.choice(('shelving', 'lighting', 'flooring', 'windows', 'paint'))} | "
                f"{rng.choice(('Novak', 'Weber', 'Costa'))} Ltd | {rng.randint(500, 90000)} | 2024-{m:02d}-01 |"
                for m in range(1, 13)
            ]
            parts += ["", "```", "total = sum(row.cost for row in rows)", "```", ""]
        parts += [f"- {s}" for s in rng.sample(_SENTENCES, 3)] + [""]
    return "\n".join(parts)


def man_page() -> str:
    """A manual page as `man` prints it: synopsis, an option table, exit codes, files, examples."""
    options = [
        ("-a, --all", "Copy every file, including those the exclusion list names."),
        ("-n, --dry-run", "Show what would be copied and removed without changing anything."),
        ("-k N, --keep=N", "Keep the N newest snapshots (default 30) and remove the older ones."),
        ("-q, --quiet", "Print errors only; the summary at the end is left out."),
        ("-v, --verbose", "Name every file as it is copied, with its size and time taken."),
        ("--bwlimit=KBPS", "Limit the transfer rate to KBPS kilobytes a second."),
        ("--exclude=PATTERN", "Leave out files whose path matches PATTERN; may be given more than once."),
        ("--since=DATE", "Only copy files changed after DATE (YYYY-MM-DD)."),
        ("-h, --help", "Show a short summary of the options and exit."),
    ]
    lines = ["BACKUPCTL(1)            User Commands            BACKUPCTL(1)", "", "NAME"]
    lines += ["backupctl - copy folders to a backup disk and keep dated snapshots", "", "SYNOPSIS"]
    lines += ["backupctl [OPTION]... SOURCE... DEST", "", "DESCRIPTION"]
    lines += [
        "backupctl copies each SOURCE folder to DEST and keeps one snapshot a day. Files that did not",
        "change since the last snapshot are linked rather than copied, so a snapshot costs only the",
        "space of what changed. When the disk fills up, the oldest snapshots are removed first.",
        "",
        "OPTIONS",
    ]
    for flag, text in options * 3:  # the option list, then the same again under COMPATIBILITY, RECIPES
        lines += [flag, f"    {text} Backups run every night at two, and a full copy is kept for thirty days.", ""]
    lines += ["EXIT STATUS", "0 success", "1 a source could not be read", "2 the destination is full", ""]
    lines += ["EXAMPLES", "backupctl -v --keep=10 ~/Documents /media/backup", "", "SEE ALSO", "rsync(1), cp(1)"]
    return "\n".join(lines)


def c_source(*, seed: int = 7) -> str:
    """Hand-written C: a struct, small functions with comments, a switch, a lookup table."""
    rng = random.Random(seed)
    out = ["#include <stdio.h>", "#include <string.h>", "", "/* A ring buffer of log lines kept in memory. */"]
    out += ["struct ring {", "    char **lines;", "    size_t head, count, size;", "};", ""]
    names = "push pop peek clear resize dump find count_matches load save trim merge split sort print free"
    for i, name in enumerate(names.split()):
        out += [f"/* {rng.choice(_SENTENCES)} */"] if i % 2 else []
        out += [f"static int ring_{name}(struct ring *r, const char *arg)", "{"]
        out += [
            "    if (r == NULL || arg == NULL)",
            "        return -1;",
            f"    size_t n = strlen(arg) % {rng.randint(3, 64)};",
        ]
        out += [
            "    switch (n) {",
            "    case 0:",
            "        return 0;",
            "    default:",
            "        r->head = (r->head + n) % r->size;",
        ]
        out += ["    }", '    fprintf(stderr, "ring: %s\\n", arg);', "    return (int)r->count;", "}", ""]
    return "\n".join(out)


def reviews_csv(rows: int = 60, *, seed: int = 9) -> str:
    """A CSV of customers' reviews: an id, a date and a rating beside a paragraph of their own words."""
    rng = random.Random(seed)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["id", "date", "rating", "review"])
    for i in range(rows):
        writer.writerow([1000 + i, f"2024-04-{rng.randint(1, 28):02d}", rng.randint(1, 5), _paragraph(rng, 3)])
    return buf.getvalue()


def japanese(*, seed: int = 11) -> str:
    """Japanese prose: long lines without a space between words."""
    sentences = (
        "図書館の新しい棟について、委員会は火曜日に予算を話し合いました。",
        "閲覧室を川の側に向けるか公園の側に向けるかで、議論の大半が費やされました。",
        "議事録を添付しますが、要するに何も決まりませんでした。",
        "金曜日までに数字を確認して、おかしな点があれば教えていただけますか。",
        "地面が乾けばすぐに基礎を打てると業者は言っています。",
        "春の工事の騒音について、近所の方々に手紙を書く人がまだ必要です。",
    )
    rng = random.Random(seed)
    return "\n\n".join("".join(rng.sample(sentences, 4)) for _ in range(40))
