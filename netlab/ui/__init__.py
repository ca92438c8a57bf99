"""`netlab ui`: the lab in a browser — its diagram, live state, traces drawn hop by hop, the reachability matrix and
rule counters. lab.py reads what the page shows; server.py serves it and guards it; static/ is the page."""
