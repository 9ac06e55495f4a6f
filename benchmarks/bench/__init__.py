"""The benchmarks' modules, by purpose: common helpers, the corpus and queries, the runs
measured, the report, and the --scale, --pdf and --lists modes. benchmarks/perf.py runs them."""
