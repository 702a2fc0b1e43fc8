"""`make bench`: timings of the build, the question path and the what-if recomputation."""
