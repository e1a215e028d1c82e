# SPDX-License-Identifier: GPL-2.0-or-later
"""Grow a scan database of real dumps into an archive of N dumps, in SQL:
each new dump is a copy of one scanned dump's rows (dumps, mms, findings,
verdicts), under its own path (host/NNNN/name), with the release's last
number varied (one of eight per release, so a chart has some bars) and an
mtime spread over two years. Nothing is invented: every finding, verdict
and error is one the scan stored. Every third dump gets a crash time
(VMCOREINFO CRASHTIME, which the fixtures, captured by QEMU rather than
by kdump, lack) three hours before its mtime, so the page's time chart
places dumps both ways. The original rows are dropped so the database
holds exactly N dumps.

    gen_archive_db.py IN.db OUT.db N
"""
import shutil
import sqlite3
import sys

src, dst, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
shutil.copyfile(src, dst)
db = sqlite3.connect(dst)
OFFSET = 10_000_000  # new dump ids above every scanned one


def cols(table, skip):
    return [r[1] for r in db.execute("PRAGMA table_info(%s)" % table)
            if r[1] not in skip]


db.executescript("""
CREATE TEMP TABLE src AS
  SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM dumps;
CREATE TEMP TABLE gen AS
  WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c
                          WHERE n + 1 < %d)
  SELECT n, n + %d AS new_id,
         (SELECT id FROM src WHERE k = n %% (SELECT COUNT(*) FROM src))
           AS old_id
  FROM c;
""" % (count, OFFSET))

# The dumps: path, release and mtime varied, the rest copied.
dcols = cols("dumps", ("id", "path", "kernel", "mtime", "mtime_ns"))
varied_kernel = (
    # 6.12.107+deb13-cloud-amd64 -> 6.12.10N+..., 7.2.12+ -> 7.2.1N+,
    # 6.1.0-50- -> 6.1.0-5N-: the release's last number, one of eight.
    "CASE WHEN d.kernel IS NULL THEN NULL ELSE "
    "replace(replace(replace(d.kernel, '.107+', '.10' || (g.n % 8) || '+'),"
    " '.12+', '.1' || (g.n % 8) || '+'), '-50-', '-5' || (g.n % 8) || '-') "
    "END")
spread = "((g.n * 7919) % 63072000)"  # seconds in two years, well mixed
db.execute(
    "INSERT INTO dumps(id, path, kernel, mtime, mtime_ns, %s) "
    "SELECT g.new_id, "
    "'/archive/host' || printf('%%02d', g.n %% 37) || '/' || "
    "printf('%%05d', g.n) || '/' || "
    "replace(d.path, rtrim(d.path, replace(d.path, '/', '')), ''), "
    "%s, strftime('%%Y-%%m-%%dT%%H:%%M:%%S', '2025-01-01', '+' || %s || "
    "' seconds') || '.000000000Z', "
    "(1735689600 + %s) * 1000000000, %s "
    "FROM gen g JOIN dumps d ON d.id = g.old_id"
    % (", ".join(dcols), varied_kernel, spread, spread,
       ", ".join("d." + c for c in dcols)))
for table in ("mms", "findings", "verdicts"):
    c = cols(table, ("id", "dump_id"))
    db.execute("INSERT INTO %s(dump_id, %s) SELECT g.new_id, %s FROM gen g "
               "JOIN %s t ON t.dump_id = g.old_id ORDER BY g.n, t.id"
               % (table, ", ".join(c), ", ".join("t." + x for x in c),
                  table))
for table in ("mms", "findings", "verdicts"):
    db.execute("DELETE FROM %s WHERE dump_id < %d" % (table, OFFSET))
db.execute("DELETE FROM dumps WHERE id < %d" % OFFSET)
db.execute("UPDATE dumps SET crash_time = strftime('%Y-%m-%dT%H:%M:%SZ', "
           "mtime_ns / 1000000000 - 3 * 3600, 'unixepoch') WHERE id % 3 = 0")
db.commit()
db.execute("VACUUM")
db.close()
