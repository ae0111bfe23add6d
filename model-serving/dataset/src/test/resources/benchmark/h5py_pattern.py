"""Independent reference for the benchmark's HDF5 layout, used by BenchmarkDimensionOrderTest.

Written against h5py/numpy the way the public loader reads the files (row-major numpy order):
  data  uint8 [T, C=3, W, H]  -> data[t][c][x][y]
  label uint8 [T, W, H]       -> label[t][x][y], 0 normal, >0 abnormal

Every value encodes its (t, c, x, y) position, so a transposed or shifted read cannot pass.

  write DIR T W H   writes DIR/videos/chunked.mat the way MATLAB v7.3 does (512-byte user block,
                    chunked, deflate-compressed, MATLAB_class attribute; chunks not dividing the shape), DIR/videos/contiguous.mat
                    (user block, contiguous storage), and the two CSVs of each
  check FILE T W H  verifies a file written by the Java BenchmarkWriter with the same pattern
"""
import os
import sys

import h5py
import numpy as np


def pixel(t, c, x, y, w, h):
    # Distinct for every (t, c, x, y), and above 127 for about half of them, so a signed int8
    # declaration would show up as clamped or negative values. Needs T*3*W*H <= 123.
    return 10 + 2 * (((t * 3 + c) * w + x) * h + y)


def label(t, x, y):
    return ((x * 7 + y * 3 + t) % 4) * 85  # 0, 85, 170, 255: any value above 0 means abnormal


def expected(T, W, H):
    if pixel(T - 1, 2, W - 1, H - 1, W, H) > 255:
        fail("pattern shape %dx3x%dx%d is too large for distinct uint8 values" % (T, W, H))
    data = np.zeros((T, 3, W, H), dtype=np.uint8)
    lab = np.zeros((T, W, H), dtype=np.uint8)
    for t in range(T):
        for x in range(W):
            for y in range(H):
                lab[t, x, y] = label(t, x, y)
                for c in range(3):
                    data[t, c, x, y] = pixel(t, c, x, y, W, H)
    return data, lab


def write(out_dir, T, W, H):
    data, lab = expected(T, W, H)
    for sub in ("videos", "timestamps", "currents"):
        os.makedirs(os.path.join(out_dir, sub), exist_ok=True)
    for name, chunked in (("chunked", True), ("contiguous", False)):
        with h5py.File(os.path.join(out_dir, "videos", name + ".mat"), "w", userblock_size=512) as f:
            if chunked:
                # Chunks that do not divide the shape, so edge chunks are only partly inside.
                d = f.create_dataset("data", data=data, chunks=(2, 2, 3, 3), compression="gzip")
                l = f.create_dataset("label", data=lab, chunks=(1, 4, 3), compression="gzip")
            else:
                d = f.create_dataset("data", data=data)
                l = f.create_dataset("label", data=lab)
            d.attrs["MATLAB_class"] = np.bytes_("uint8")
            l.attrs["MATLAB_class"] = np.bytes_("uint8")
        with open(os.path.join(out_dir, "timestamps", name + ".csv"), "w") as f:
            f.write("time\n")
            for t in range(T):
                f.write("2023-05-10 21:33:%02d\n" % (27 + t // 2))
        with open(os.path.join(out_dir, "currents", name + ".csv"), "w") as f:
            f.write("time,A,B,C\n")
            for s in range((T + 1) // 2):
                for half in range(2):
                    f.write("2023-05-10 21:33:%02d,%d.5,%d.25,%d.75\n" % (27 + s, 6000 + s, 7000 + half, 8000 + s))


def check(path, T, W, H):
    data, lab = expected(T, W, H)
    with h5py.File(path, "r") as f:
        for name, want in (("data", data), ("label", lab)):
            if name not in f:
                fail("%s has no dataset %r (has %s)" % (path, name, list(f.keys())))
            ds = f[name]
            if ds.dtype != np.uint8:
                fail("dataset %r has dtype %s, expected uint8" % (name, ds.dtype))
            if ds.shape != want.shape:
                fail("dataset %r has shape %s, expected %s" % (name, ds.shape, want.shape))
            # Read exactly as the public loader does.
            got = np.array(f.get(name), dtype=np.uint8)
            if name == "label":
                want = (want > 0).astype(np.uint8)  # the Java writer stores masks as 0/1
            if not np.array_equal(got, want):
                idx = tuple(int(i) for i in np.argwhere(got != want)[0])
                fail("dataset %r differs at %s: got %d, expected %d" % (name, idx, got[idx], want[idx]))
    print("ok")


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    mode, target, T, W, H = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    if mode == "write":
        write(target, T, W, H)
    elif mode == "check":
        check(target, T, W, H)
    else:
        fail("unknown mode " + mode)
