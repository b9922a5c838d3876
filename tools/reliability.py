#!/usr/bin/env python3
"""Measures how `firebreak` takes hostile input, killed processes and an editor with the store file.

    python3 tools/reliability.py [--bin build/release/cli/firebreak] [--per-family 150] [--seed 13] [--long]

Figures (docs/reliability.md):
  1. inputs tried per command family (mutated fixtures and every issue-13 attack; 139 generated odd rasters;
     damaged, foreign and mid-write store files), and per family: crashes (a signal), hangs (> 20 s), internal
     errors (exit 10), wrong exit codes (not one the family documents), exits 0 on inputs that are certainly
     invalid (invalid UTF-8, a key given twice, a second document, an alias, 200,000 brackets, an image as a
     DEM, a foreign or truncated store ...), errors that do not name the file, and refused store files that
     were modified;
  2. with --long (needs the release test binaries): SIGKILL trials and losses, concurrent writers and losses,
     fault-injection sweeps, tamper cases detected / total (the summary lines of the store tests).
Deterministic for a given --seed. Needs python3-gdal (odd rasters) and the sqlite3 command.
"""
import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AT = "109.32374,24.97523"  # inside the demo world


def run(cmd, env, timeout=20):
    t0 = time.time()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), time.time() - t0
    except subprocess.TimeoutExpired:
        return None, "", "", time.time() - t0


# ----------------------------------------------------------------------------------------------- mutations

def bomb():
    s, prev = "a: &a [x,x,x,x,x,x,x,x,x,x]\n", "a"
    for c in "bcdefghi":
        s += "%s: &%s [%s]\n" % (c, c, ",".join("*" + prev for _ in range(10)))
        prev = c
    return s.encode()


def _insert(b, r, piece):
    i = r.randrange(len(b) + 1)
    return b[:i] + piece + b[i:]


def _flip(b, r):
    if not b:
        return b"\x01"
    x = bytearray(b)
    i = r.randrange(len(x))
    x[i] ^= 1 << r.randrange(8)
    return bytes(x)


def _lines(b, r, dup):
    ls = b.split(b"\n")
    k = r.randrange(len(ls))
    return b"\n".join(ls[:k + 1] + [ls[k]] + ls[k + 1:]) if dup else b"\n".join(ls[:k] + ls[k + 1:])


def _extreme(b, r):
    return re.sub(rb"\b\d+(\.\d+)?\b", lambda m: r.choice([b"1e9", b"-1", b".nan", b".inf", b"1e999", b"99999999999"])
                  if r.random() < 0.3 else m.group(0), b)


def _dup_key(b, r):
    for line in b.split(b"\n"):
        if line and line[:1] not in (b"#", b" ", b"-", b"{", b"[") and b":" in line:
            return b + (b"" if b.endswith(b"\n") else b"\n") + line.split(b":")[0] + b": duplicate\n"
    return b + b"\nx: 1\nx: 2\n"


def _gbk(b, r):
    if any(c > 127 for c in b):
        return b.decode("utf-8", "replace").encode("gbk", "replace")
    return b + "\n# 柳州\n".encode("gbk")


# (name, function(bytes, rng) -> bytes, certainly_invalid)
def mutators():
    return [
        ("flip-byte", _flip, False),
        ("insert-random", lambda b, r: _insert(b, r, bytes(r.randrange(256) for _ in range(r.randrange(1, 9)))), False),
        ("truncate", lambda b, r: b[:r.randrange(len(b) + 1)], False),
        ("delete-range", lambda b, r: (lambda i: b[:i] + b[i + r.randrange(1, 64):])(r.randrange(len(b) + 1)), False),
        ("duplicate-line", lambda b, r: _lines(b, r, True), False),
        ("delete-line", lambda b, r: _lines(b, r, False), False),
        ("extreme-number", _extreme, False),
        ("invalid-utf8", lambda b, r: _insert(b, r, r.choice([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe6\x9f"])), True),
        ("nul", lambda b, r: _insert(b, r, b"\x00"), True),
        ("dup-key", _dup_key, True),
        ("second-document", lambda b, r: b + b"\n---\nmeta: {id: x}\n", True),
        ("alias-bomb", lambda b, r: b + b"\n" + bomb(), True),
        ("deep-nesting", lambda b, r: b + b"\ndeep: " + b"[" * 200000 + b"]" * 200000 + b"\n", True),
        ("gbk", _gbk, True),
    ]


def json_mutators():
    return [
        ("json-dup-key", lambda b, r: re.sub(rb'^\s*\{', b'{"burned_area_ha": 600, "burned_area_ha": 0,', b, count=1), True),
        ("json-deep", lambda b, r: b"[" * 200000 + b"]" * 200000, True),
        ("json-invalid-utf8", lambda b, r: b.replace(b'"', b'"\xff', 1), True),
        ("json-two-values", lambda b, r: b + b"\n{}", True),
    ]


# ----------------------------------------------------------------------------------------------- families

def names_a_file(err, path):
    """The error names the input, or a file the input names (a layer file of a layers config)."""
    if os.path.basename(path) in err:
        return True
    try:
        text = open(path, "rb").read().decode("utf-8", "replace")
    except OSError:
        return False
    return any(tok in text for tok in re.findall(r"(/[^\s:()]+)", err) if len(tok) > 3)


class Tally:
    def __init__(self, name, ok_codes, err_codes):
        self.name, self.ok, self.err = name, set(ok_codes), set(err_codes)
        self.tried = self.crash = self.hang = self.internal = self.wrong = self.garbage0 = self.unnamed = 0
        self.modified = 0
        self.examples = []

    def add(self, label, rc, err, path, invalid, modified=False):
        self.tried += 1
        bad = None
        if rc is None:
            self.hang += 1
            bad = "hang"
        elif rc < 0 or rc >= 128:
            self.crash += 1
            bad = "crash %s" % rc
        elif rc == 10:
            self.internal += 1
            bad = "exit 10"
        elif rc not in self.ok and rc not in self.err:
            self.wrong += 1
            bad = "exit %d" % rc
        elif rc in self.ok and invalid and rc == 0:
            self.garbage0 += 1
            bad = "exit 0 on garbage"
        elif rc in self.err and not names_a_file(err, path):
            self.unnamed += 1
            bad = "error without the file"
        if modified:
            self.modified += 1
            bad = (bad + ", " if bad else "") + "refused file modified"
        if bad and len(self.examples) < 3:
            self.examples.append("%s: %s (%s)" % (label, bad, err.strip().splitlines()[-1][:160] if err.strip() else ""))

    def row(self):
        return "| %s | %d | %d | %d | %d | %d | %d | %d | %d |" % (
            self.name, self.tried, self.crash, self.hang, self.internal, self.wrong, self.garbage0, self.unnamed,
            self.modified)


def text_family(ctx, name, seeds, cmd_for, ok, err, muts, per):
    t = Tally(name, ok, err)
    rng = random.Random(ctx.seed + hash(name) % 1000)
    d = os.path.join(ctx.out, re.sub(r"[^A-Za-z0-9]+", "-", name.split(" (")[0]))
    os.makedirs(d, exist_ok=True)
    bases = [open(s, "rb").read() for s in seeds]
    for i in range(per):
        mname, fn, invalid = muts[i % len(muts)]
        base = bases[i % len(bases)]
        data = fn(base, rng)
        ext = ".json" if base.lstrip()[:1] in (b"{", b"[") else ".yaml"
        path = os.path.join(d, "in-%04d-%s%s" % (i, mname, ext))
        with open(path, "wb") as f:
            f.write(data)
        rc, _, e, _ = run(cmd_for(path), ctx.env)
        t.add(os.path.basename(path), rc, e, path, invalid)
    return t


def odd_rasters(ctx):
    """139 odd rasters: dimensions x types x values x georeferencing, written with GDAL."""
    sys.path.insert(0, "/usr/lib/python3/dist-packages")
    from osgeo import gdal, osr
    gdal.UseExceptions()
    d = os.path.join(ctx.out, "rasters")
    os.makedirs(d, exist_ok=True)
    utm = osr.SpatialReference()
    utm.ImportFromEPSG(32649)
    gt = (330000.0, 30.0, 0.0, 2764000.0, 0.0, -30.0)
    cases = []  # (name, path, certainly_invalid)

    def tif(name, w=50, h=50, bands=1, dt=gdal.GDT_Float32, g=gt, crs=True, fill=100.0, nodata=None, opts=None,
            photometric=None, invalid=True):
        p = os.path.join(d, name + ".tif")
        o = list(opts or [])
        if photometric:
            o.append("PHOTOMETRIC=" + photometric)
        ds = gdal.GetDriverByName("GTiff").Create(p, w, h, bands, dt, o)
        if g is not None:
            ds.SetGeoTransform(g)
        if crs:
            ds.SetProjection(utm.ExportToWkt())
        for b in range(1, bands + 1):
            band = ds.GetRasterBand(b)
            if nodata is not None:
                band.SetNoDataValue(nodata)
            if fill is not None and not gdal.DataTypeIsComplex(dt):
                band.Fill(fill)
        ds = None
        cases.append((name, p, invalid))

    def vrt(name, w, h, g, invalid=True, srs="EPSG:32649"):
        p = os.path.join(d, name + ".vrt")
        with open(p, "w") as f:
            f.write('<VRTDataset rasterXSize="%s" rasterYSize="%s"><SRS>%s</SRS><GeoTransform>%s</GeoTransform>'
                    '<VRTRasterBand dataType="Float32" band="1"/></VRTDataset>' % (w, h, srs, g))
        cases.append((name, p, invalid))

    nan, inf = float("nan"), float("inf")
    # values everywhere: NaN, inf, nodata, 1e300 in Float64 (infinite as float)
    for dt_name, dt in [("f32", gdal.GDT_Float32), ("f64", gdal.GDT_Float64), ("i16", gdal.GDT_Int16), ("byte", gdal.GDT_Byte)]:
        for val_name, val, nd in [("nan", nan, None), ("nan-nodata", nan, nan), ("inf", inf, None),
                                  ("nodata", -9999.0, -9999.0), ("zero-nodata", 0.0, 0.0), ("huge", 1e300, None)]:
            if dt in (gdal.GDT_Int16, gdal.GDT_Byte) and val_name in ("nan", "nan-nodata", "inf", "huge"):
                continue
            if dt == gdal.GDT_Byte and val_name == "nodata":
                continue  # -9999 does not fit a byte
            tif("all-%s-%s" % (val_name, dt_name), dt=dt, fill=val, nodata=nd)
    # georeferencing
    for w in (1, 2, 3, 50):
        tif("no-crs-%d" % w, w=w, h=w, crs=False)
        tif("no-gt-%d" % w, w=w, h=w, g=None)
    for i, g in enumerate([(330000.0, 0.0, 0, 2764000.0, 0, -30.0), (330000.0, 30.0, 0, 2764000.0, 0, 0.0),
                           (330000.0, 30.0, 5.0, 2764000.0, 5.0, -30.0), (-1e15, 1e13, 0, 1e15, 0, -1e13),
                           (330799.5, 1e-9, 0, 2763250.3, 0, -1e-9), (330000.0, 30.0, 0, 2762500.0, 0, 30.0),
                           (330000.0, -30.0, 0, 2764000.0, 0, -30.0)]):
        tif("gt-%d" % i, g=g, invalid=i < 3)
    for i, g in enumerate(["nan,30,0,2764000,0,-30", "330000,nan,0,2764000,0,-30", "inf,30,0,2764000,0,-30",
                           "330000,0,0,2764000,0,-30", "1e308,1e308,0,1e308,0,-1e308"]):
        vrt("vrt-gt-%d" % i, 50, 50, g, invalid=i < 4)  # the last is finite: the point is outside (facts unknown)
    # dimensions
    for w, h in [(0, 0), (0, 50), (50, 0), (-1, 5)]:
        vrt("dims-%dx%d" % (w, h), w, h, "330000,30,0,2764000,0,-30")
    for w, h, g in [(2000000000, 2000000000, "0,1,0,2800000,0,-1"), (2000000000, 1, "0,1,0,2764000,0,-30"),
                    (1, 2000000000, "330000,30,0,2800000,0,-0.001"), (2000000000, 2000000000, "329500,0.001,0,2763500,0,-0.001"),
                    (100000, 100000, "0,10,0,2800000,0,-10")]:
        vrt("huge-%dx%d" % (w, h), w, h, g, invalid=False)
    tif("sparse-2e6", w=2000000, h=2000000, fill=None, opts=["SPARSE_OK=YES", "TILED=YES", "BIGTIFF=YES"], invalid=False)
    # types and bands
    for dt_name, dt in [("cint16", gdal.GDT_CInt16), ("cint32", gdal.GDT_CInt32), ("cf32", gdal.GDT_CFloat32),
                        ("cf64", gdal.GDT_CFloat64)]:
        tif("complex-" + dt_name, dt=dt)
    for bands in (3, 4):
        tif("rgb-%d" % bands, bands=bands, dt=gdal.GDT_Byte, photometric="RGB", fill=10)
    for dt_name, dt in [("u16", gdal.GDT_UInt16), ("i32", gdal.GDT_Int32), ("u32", gdal.GDT_UInt32), ("f64", gdal.GDT_Float64)]:
        tif("ok-" + dt_name, dt=dt, invalid=False)
    tif("gray-3band", bands=3, photometric="MINISBLACK", invalid=False)
    # files that are not rasters
    for name, data in [("empty", b""), ("garbage", b"II*\x00" + b"\xff" * 100), ("text", b"not a raster\n"),
                       ("png-head", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40), ("json", b'{"type":"FeatureCollection"}')]:
        p = os.path.join(d, name + ".tif")
        open(p, "wb").write(data)
        cases.append(("file-" + name, p, True))
    whole = os.path.join(d, "all-nodata-f32.tif")
    for cut in (8, 200, 600, 2000, 5000):
        p = os.path.join(d, "truncated-%d.tif" % cut)
        open(p, "wb").write(open(whole, "rb").read()[:cut])
        cases.append(("truncated-%d" % cut, p, True))
    fifo = os.path.join(d, "fifo.tif")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)
    cases.append(("fifo", fifo, True))
    # byte-flipped copies of a valid DEM
    rng = random.Random(ctx.seed)
    good = open(ctx.dem, "rb").read()
    while len(cases) < 139:
        b = bytearray(good)
        for _ in range(rng.randrange(1, 20)):
            b[rng.randrange(min(len(b), 4096))] = rng.randrange(256)
        p = os.path.join(d, "flipped-%03d.tif" % len(cases))
        open(p, "wb").write(bytes(b))
        cases.append(("flipped", p, False))
    t = Tally("odd rasters (`terrain --dem`)", [0], [5])
    for name, p, invalid in cases[:139]:
        rc, _, e, _ = run([ctx.bin, "--lang", "en", "terrain", "--dem", p, "--at", AT], ctx.env)
        t.add(name, rc, e, p, invalid)
    return t


def store_files(ctx):
    """Damaged, foreign, truncated and mid-write store files under every store command."""
    d = os.path.join(ctx.out, "stores")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    report = os.path.join(ROOT, "tests/engine/data/iii-area-casualties-night.json")

    def good(name):
        p = os.path.join(d, name)
        run([ctx.bin, "report", report, "--store", p], ctx.env)
        run([ctx.bin, "declare", "LZ-2026-0314-01", "III", "--by", "deputy_commander", "--at",
             "2026-03-14T22:00:00+08:00", "--store", p], ctx.env)
        return p

    cases = []  # (name, path, certainly_invalid)
    rng = random.Random(ctx.seed)
    for i in range(12):  # random byte flips past the header
        p = good("flip-%02d.sqlite" % i)
        b = bytearray(open(p, "rb").read())
        for _ in range(rng.randrange(1, 30)):
            b[rng.randrange(100, len(b))] = rng.randrange(256)
        open(p, "wb").write(bytes(b))
        cases.append(("flipped", p, False))
    p = good("corrupt-index.sqlite")
    con = sqlite3.connect(p)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name='upward_by_audit'").fetchone()[0]
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    with open(p, "r+b") as f:
        f.seek((root - 1) * page)
        f.write(b"\x7f" * 64)
    cases.append(("corrupted page", p, True))
    p = good("truncated.sqlite")
    open(p, "wb").close()
    cases.append(("truncated to 0 bytes", p, True))
    p = good("deleted.sqlite")
    os.remove(p)
    cases.append(("deleted (head file left)", p, True))
    p = good("emptied.sqlite")
    subprocess.run(["sqlite3", p, "DROP TRIGGER audit_log_no_delete; DROP TRIGGER incidents_no_delete; DROP TRIGGER "
                    "reports_no_delete; DROP TRIGGER decisions_no_delete; DROP TRIGGER declarations_no_delete; "
                    "DELETE FROM declarations; DELETE FROM decisions; DELETE FROM reports; DELETE FROM incidents; "
                    "DELETE FROM audit_log;"], capture_output=True)
    cases.append(("emptied", p, True))
    for cut in (100, 1000, 4096, 20000):
        p = good("cut-%d.sqlite" % cut)
        b = open(p, "rb").read()
        open(p, "wb").write(b[:cut])
        cases.append(("cut at %d" % cut, p, True))
    p = os.path.join(d, "text.sqlite")
    open(p, "w").write("duty roster\n")
    cases.append(("text file", p, True))
    p = os.path.join(d, "foreign.sqlite")
    subprocess.run(["sqlite3", p, "CREATE TABLE t(x); INSERT INTO t VALUES(1);"], capture_output=True)
    cases.append(("foreign database", p, True))
    # Foreign files left mid-write by a second process: an un-checkpointed WAL, a hot journal.
    p = os.path.join(d, "foreign-wal.sqlite")
    subprocess.run([sys.executable, "-c", "import sqlite3,os;c=sqlite3.connect(%r);c.execute('PRAGMA journal_mode=WAL');"
                    "c.execute('PRAGMA wal_autocheckpoint=0');c.execute('CREATE TABLE t(x)');c.execute('INSERT INTO t VALUES(1)');"
                    "c.commit();os._exit(0)" % p])
    cases.append(("foreign, un-checkpointed WAL", p, True))
    p = os.path.join(d, "foreign-journal.sqlite")
    subprocess.run([sys.executable, "-c", "import sqlite3,os;c=sqlite3.connect(%r,isolation_level=None);"
                    "c.execute('PRAGMA journal_mode=DELETE');c.execute('CREATE TABLE t(x BLOB)');"
                    "c.execute('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<400) INSERT INTO t SELECT randomblob(2000) FROM n');"
                    "c.execute('PRAGMA cache_size=2');c.execute('BEGIN');c.execute('UPDATE t SET x=randomblob(2000)');os._exit(0)" % p])
    cases.append(("foreign, hot journal", p, True))
    t = Tally("store files (report, declare, status, audit, verify, head)", [0], [6, 8])
    cmds = [["report", report], ["declare", "LZ-2026-0314-01", "II", "--by", "commander", "--at", "2026-03-14T23:00:00+08:00"],
            ["status", "--at", "2026-03-14T23:00:00+08:00"], ["audit", "--all"], ["store", "verify"], ["store", "head"]]
    if run([ctx.bin, "store", "head", "--help"], ctx.env)[0] != 0:
        cmds.pop()  # a firebreak without `store head` (before the keyed chain)

    def snapshot(p):
        return {s: open(p + s, "rb").read() for s in ("", "-wal", "-journal", ".head") if os.path.exists(p + s)}

    for name, p, invalid in cases:
        for c in cmds:
            before = snapshot(p)
            rc, _, e, _ = run([ctx.bin, "--lang", "en"] + c + ["--store", p], ctx.env)
            after = snapshot(p)
            # a refused (certainly invalid) file must stay byte-identical
            modified = invalid and rc != 0 and before.get("") != after.get("")
            t.add("%s / %s" % (name, " ".join(c[:2])), rc, e, p, invalid, modified)
    return t


def test_lines(ctx):
    """The summary lines of the store's long tests (release build)."""
    tests = os.path.join(os.path.dirname(os.path.dirname(ctx.bin)), "tests", "store")
    env = dict(ctx.env, FIREBREAK_KILL_TRIALS="200", FIREBREAK_WRITERS="4", FIREBREAK_WRITES="500")
    lines = []
    for binary, flt in [("store_tests", "StoreFaults.Sigkill*:StoreFaults.Concurrent*"), ("store_tamper_tests", "*"),
                        ("store_fault_tests", "*")]:
        exe = os.path.join(tests, binary)
        if not os.path.exists(exe):
            lines.append("%s: not built" % binary)
            continue
        p = subprocess.run([exe, "--gtest_filter=" + flt], capture_output=True, env=env, timeout=3600)
        out = p.stdout.decode("utf-8", "replace")
        lines += [l for l in out.splitlines() if re.match(r"(kill trials|concurrent writes|tamper cases|fault sweep)", l)]
        lines.append("%s: %s" % (binary, "passed" if p.returncode == 0 else "FAILED"))
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build/release/cli/firebreak"))
    ap.add_argument("--per-family", type=int, default=150)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", default=os.path.join(ROOT, "build/reliability"))
    ap.add_argument("--long", action="store_true", help="also run the store's long tests (kill loop, tamper, faults)")
    a = ap.parse_args()
    ctx = argparse.Namespace(bin=os.path.abspath(a.bin), seed=a.seed, out=os.path.abspath(a.out))
    shutil.rmtree(ctx.out, ignore_errors=True)
    os.makedirs(ctx.out)
    ctx.env = dict(os.environ, FIREBREAK_OFFICE_KEY=os.path.join(ctx.out, "office.key"), LANG="C.UTF-8")
    demo = os.path.join(ctx.out, "demo")
    subprocess.run([ctx.bin, "demo-data", demo], capture_output=True, env=ctx.env, check=True)
    ctx.dem = os.path.join(demo, "dem.tif")
    roads = os.path.join(ctx.out, "roads.geojson")
    json.dump({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"highway": "primary"},
               "geometry": {"type": "LineString", "coordinates": [[109.30, 24.96], [109.33, 24.98], [109.40, 25.00]]}}]},
              open(roads, "w"))
    layers_seed = os.path.join(ctx.out, "layers-seed.yaml")
    open(layers_seed, "w").write(open(os.path.join(demo, "layers.yaml")).read().replace("file: ", "file: " + demo + "/"))
    per = a.per_family
    m, jm = mutators(), mutators() + json_mutators()
    fam = [
        text_family(ctx, "rule files (`--rules F rules show`)",
                    [os.path.join(ROOT, "rules/liuzhou-2022.yaml"), os.path.join(ROOT, "tests/rules/data/fictional-county.yaml")],
                    lambda p: [ctx.bin, "--rules", p, "rules", "show"], [0], [3], m, per),
        text_family(ctx, "forces registries (`forces F`)", [os.path.join(ROOT, "data/forces/liuzhou-demo.yaml")],
                    lambda p: [ctx.bin, "forces", p], [0, 1], [4], m, per),
        text_family(ctx, "layers configs (`terrain --layers F`)", [layers_seed],
                    lambda p: [ctx.bin, "terrain", "--layers", p, "--at", AT], [0], [4, 5], m, per),
        text_family(ctx, "road configs (`deploy --roads-config F`)", [os.path.join(ROOT, "data/forces/roads-config.example.yaml")],
                    lambda p: [ctx.bin, "deploy", "--at", AT, "--level", "IV", "--county", "融安县", "--roads", roads,
                               "--roads-config", p], [0], [4, 5], m, per),
        odd_rasters(ctx),
        store_files(ctx),
        text_family(ctx, "reports (`assess F`)", [os.path.join(ROOT, "tests/engine/data", f) for f in
                    sorted(os.listdir(os.path.join(ROOT, "tests/engine/data")))],
                    lambda p: [ctx.bin, "assess", p], [0], [4], jm, per),
        text_family(ctx, "scenarios (`drill F`)", [os.path.join(ROOT, "scenarios", f) for f in
                    sorted(os.listdir(os.path.join(ROOT, "scenarios")))],
                    lambda p: [ctx.bin, "drill", p], [0, 7], [4], m, per),
    ]
    print("binary: %s" % ctx.bin)
    print("| command family | inputs | crashes | hangs | exit 10 | wrong exit code | exit 0 on garbage | error without the file | refused file modified |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in fam:
        print(t.row())
    tot = [sum(getattr(t, k) for t in fam) for k in ("tried", "crash", "hang", "internal", "wrong", "garbage0", "unnamed", "modified")]
    print("| **all** | %d | %d | %d | %d | %d | %d | %d | %d |" % tuple(tot))
    for t in fam:
        for ex in t.examples:
            print("  e.g. [%s] %s" % (t.name.split(" (")[0], ex))
    if a.long:
        for l in test_lines(ctx):
            print(l)


if __name__ == "__main__":
    main()
