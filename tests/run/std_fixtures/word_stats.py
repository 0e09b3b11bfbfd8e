"""Fixture for tests/run/std_python.flow: counts the words of the files named in
its arguments and prints `file:words` pairs, one per line."""
import sys

for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        print(f"{path.rsplit('/', 1)[-1]}:{len(f.read().split())}")
