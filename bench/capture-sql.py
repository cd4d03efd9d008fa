#!/usr/bin/env python3
"""Turns the statements PostgreSQL logged for one hub request into a pgbench
script: the anchor is then the SQL the hub really sends, with its values.

    capture-sql.py LOGFILE OFFSET DATABASE > script.sql

LOGFILE is PostgreSQL's log with log_statement = all for DATABASE (the
bench's, which only the hub uses meanwhile); OFFSET the byte offset it had
before the request. Other databases' lines are dropped. Extended-protocol statements come as `execute <name>:`
lines followed by `DETAIL: parameters: $1 = '...'`; their parameters are
put in as literals, as pgbench -M prepared then prepares each statement once.
"""
import re
import sys

LINE = re.compile(r"^\S+ \S+ \S+ \[\d+\] (?:\S*@(\S+) )?(LOG|DETAIL):\s+(.*)$")


def literal(value):
    return "NULL" if value == "NULL" else value


def main():
    path, offset, database = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(path, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    entries = []  # (pid, kind, text), continuation lines folded in
    for raw in text.splitlines():
        m = LINE.match(raw)
        if m:
            entries.append([m.group(1), m.group(2), m.group(3)])
        elif entries and raw.startswith(("\t", " ")):
            entries[-1][2] += " " + raw.strip()
    statements = []
    entries = [e for e in entries if e[0] == database]
    for i, (_, kind, body) in enumerate(entries):
        if kind != "LOG":
            continue
        m = re.match(r"(?:statement|execute [^:]*): (.*)$", body)
        if not m:
            continue
        sql = m.group(1).strip()
        params = {}
        if i + 1 < len(entries) and entries[i + 1][1] == "DETAIL" and entries[i + 1][2].startswith("parameters:"):
            for n, v in re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", entries[i + 1][2]):
                params[n] = literal(v)
        sql = re.sub(r"\$(\d+)\b", lambda p: params.get(p.group(1), p.group(0)), sql)
        statements.append(sql.rstrip(";") + ";")
    if not statements:
        sys.exit("no statements logged: is log_statement = all set for the database?")
    print("-- Captured from PostgreSQL's log (log_statement = all) for one request.")
    for s in statements:
        print(s)


if __name__ == "__main__":
    main()
