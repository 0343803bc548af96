#!/usr/bin/env python3
"""Reference values for Sluice's canary statistics, computed with scipy.

Writes Tests/RolloutTests/Fixtures/statistics-reference.json, which StatisticsReferenceTests
compares the Swift implementation with. Not run by the test suite (CI has no scipy); run it by
hand after changing a case list, and commit the JSON:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scipy
    /tmp/venv/bin/python scripts/statistics-reference.py

Every function below is the textbook (or scipy) definition, written independently of the Swift
code: the beta-binomial mixture's log-likelihood-ratio uses scipy.special.betaln and
scipy.stats.binom, its interval is found with scipy.optimize.brentq, the rank test is
scipy.stats.mannwhitneyu on the expanded samples, the chi-squared test is
scipy.stats.chi2_contingency and the divergence scipy.spatial.distance.jensenshannon.
"""
import json
import math
import os

import numpy as np
from scipy import optimize, special, stats
from scipy.spatial import distance

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "RolloutTests", "Fixtures", "statistics-reference.json")


def prior(rate):
    r = min(max(rate, 1e-6), 0.5)
    return 0.4, 0.4 / r - 0.4


def log_mixture(e, n, p, a, b):
    # log of the prior predictive probability of the data over its probability at rate p
    # (the binomial coefficients cancel): log[ B(a+e, b+n-e)/B(a,b) ] - log[ p^e (1-p)^(n-e) ].
    return special.betaln(a + e, b + n - e) - special.betaln(a, b) - (special.xlogy(e, p) + special.xlog1py(n - e, -p))


def interval(e, n, alpha, a, b):
    c = math.log(1 / alpha)
    est = e / n

    def f(p):
        return log_mixture(e, n, p, a, b) - c

    lo = 0.0 if e == 0 or f(1e-300) < 0 else optimize.brentq(f, 1e-300, est, xtol=1e-15, rtol=1e-13, maxiter=500)
    hi = 1.0 if e == n or f(1 - 1e-16) < 0 else optimize.brentq(f, est, 1 - 1e-16, xtol=1e-15, rtol=1e-13, maxiter=500)
    return lo, hi


def decision(e, n, bound, alpha, a, b):
    if n == 0 or e / n == bound:
        return "undecided"
    if log_mixture(e, n, bound, a, b) < math.log(1 / alpha):
        return "undecided"
    return "below" if e / n < bound else "above"


def boundaries(n, bound, alpha, a, b):
    """The largest event count still judged below the bound, the smallest judged above."""
    below = [e for e in range(0, n + 1) if decision(e, n, bound, alpha, a, b) == "below"]
    above = [e for e in range(0, n + 1) if decision(e, n, bound, alpha, a, b) == "above"]
    return (max(below) if below else None), (min(above) if above else None)


def main():
    cases = {"logBeta": [], "normalQuantile": [], "chiSquaredSurvival": [], "chiSquaredCritical": [], "noncentralChiSquared": [], "regularizedBeta": [], "studentTSurvival": [],
             "studentTCritical": [], "rateInterval": [], "rateBoundaries": [],
             "mannWhitney": [], "chiSquared": [], "jensenShannon": []}
    for a, b in [(0.5, 0.5), (1, 99), (3.5, 1200.25), (1e6, 2e6), (12345.5, 0.75)]:
        cases["logBeta"].append({"a": a, "b": b, "value": float(special.betaln(a, b))})
    for p in [0.5, 0.975, 0.999, 1e-6, 0.2]:
        cases["normalQuantile"].append({"p": p, "value": float(stats.norm.ppf(p))})
    for x, df in [(3.84, 1), (0.5, 3), (25, 4), (150, 10), (1e-4, 2), (7.8, 6)]:
        cases["chiSquaredSurvival"].append({"x": x, "df": df, "value": float(stats.chi2.sf(x, df))})
    for p, df in [(0.05, 1), (0.0076, 2), (1e-4, 4), (0.5, 10)]:
        cases["chiSquaredCritical"].append({"p": p, "df": df, "value": float(stats.chi2.isf(p, df))})
    for x, a, b in [(0.3, 0.5, 0.5), (0.9, 2, 3), (0.01, 0.5, 50), (0.999, 30, 0.5), (0.5, 200, 180)]:
        cases["regularizedBeta"].append({"x": x, "a": a, "b": b, "value": float(special.betainc(a, b, x))})
    for t, df in [(6.314, 1), (0.5, 2), (-1.2, 3), (2.5, 9), (40, 1), (1.7, 120)]:
        cases["studentTSurvival"].append({"t": t, "df": df, "value": float(stats.t.sf(t, df))})
    for p, df in [(0.05, 1), (0.025, 1), (0.05, 2), (0.0125, 5), (0.05, 29), (0.001, 3)]:
        cases["studentTCritical"].append({"p": p, "df": df, "value": float(stats.t.isf(p, df))})
    for x, df, lam in [(2, 2, 10), (30, 2, 10), (0.5, 1, 0.3), (150, 4, 120), (700, 3, 600), (5, 9, 0.01)]:
        cases["noncentralChiSquared"].append({"x": x, "df": df, "lambda": lam, "value": float(stats.ncx2.cdf(x, df, lam))})

    # Rate intervals: tiny samples, zeros, all events, rare events, huge counts.
    for e, n, alpha, bound in [(0, 1, 0.05, 0.01), (0, 10, 0.05, 0.01), (1, 1, 0.05, 0.01), (3, 3, 0.05, 0.01), (0, 100, 0.05, 0.05),
                               (1, 16, 0.05, 0.05), (2, 1000, 0.05, 0.01), (10, 1000, 0.01, 0.01), (50, 1000, 0.05, 0.02),
                               (500, 1000, 0.05, 0.5), (7, 40, 0.1, 0.05), (123, 100000, 0.05, 0.002), (12345, 10000000, 0.05, 0.001),
                               (999, 1000, 0.05, 0.05), (0, 2000, 0.001, 0.01), (300, 300, 0.05, 0.05)]:
        a, b = prior(bound)
        lo, hi = interval(e, n, alpha, a, b)
        cases["rateInterval"].append({"events": e, "trials": n, "alpha": alpha, "priorRate": bound, "lower": lo, "upper": hi,
                                      "decision": decision(e, n, bound, alpha, a, b)})
    for n, bound, alpha in [(50, 0.05, 0.05), (100, 0.05, 0.05), (200, 0.01, 0.05), (1000, 0.01, 0.05), (1000, 0.02, 0.01),
                            (400, 0.1, 0.05), (20, 0.05, 0.05), (5000, 0.002, 0.05)]:
        a, b = prior(bound)
        below, above = boundaries(n, bound, alpha, a, b)
        cases["rateBoundaries"].append({"trials": n, "bound": bound, "alpha": alpha, "maxBelow": below, "minAbove": above})

    # Mann-Whitney U on binned samples: ties within buckets, empty buckets, tiny and huge counts.
    for first, second in [([5, 3, 2], [2, 3, 5]), ([1, 0, 0], [0, 0, 1]), ([10, 10, 10, 10], [10, 10, 10, 10]), ([0, 4, 0, 1], [2, 0, 3, 0]),
                          ([100, 50, 20, 5, 1], [120, 40, 12, 3, 0]), ([3, 0, 0, 0, 0, 1], [0, 2, 2, 0, 0, 0]),
                          ([20000, 9000, 900, 100], [19000, 9500, 1200, 300]), ([1, 1], [1, 1]), ([0, 7, 0], [3, 1, 3])]:
        x = np.repeat(np.arange(len(first)), first)
        y = np.repeat(np.arange(len(second)), second)
        r = stats.mannwhitneyu(x, y, alternative="greater", method="asymptotic", use_continuity=False)
        n1, n2 = len(x), len(y)
        ranks = stats.rankdata(np.concatenate([x, y]))
        _, counts = np.unique(ranks, return_counts=True)
        n = n1 + n2
        sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - float(np.sum(counts ** 3 - counts)) / (n * (n - 1))))
        cases["mannWhitney"].append({"first": first, "second": second, "u": float(r.statistic), "pGreater": float(r.pvalue), "sigma": sigma})

    # Chi-squared homogeneity: categories empty in both, a category new in one, huge counts.
    for first, second in [([60, 30, 10], [45, 35, 20]), ([10, 0, 5], [8, 0, 9]), ([100, 0], [90, 10]), ([5, 5], [5, 5]),
                          ([600000, 300000, 100000], [598000, 301000, 101000]), ([3, 1, 0, 2], [1, 4, 2, 0]), ([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])]:
        keep = [i for i in range(len(first)) if first[i] + second[i] > 0]
        table = np.array([[first[i] for i in keep], [second[i] for i in keep]])
        stat, p, dof, _ = stats.chi2_contingency(table, correction=False)
        cases["chiSquared"].append({"first": first, "second": second, "statistic": float(stat), "df": int(dof), "pValue": float(p)})

    for first, second in [([60, 30, 10], [45, 35, 20]), ([1, 0], [0, 1]), ([5, 5], [5, 5]), ([10, 0, 5], [8, 2, 9]),
                          ([58, 30, 12], [60, 30, 10]), ([1, 1, 1, 1], [1, 0, 0, 0])]:
        p = np.array(first, dtype=float) / sum(first)
        q = np.array(second, dtype=float) / sum(second)
        cases["jensenShannon"].append({"first": first, "second": second, "value": float(distance.jensenshannon(p, q, base=2) ** 2)})

    total = sum(len(v) for v in cases.values())
    with open(OUT, "w") as f:
        json.dump({"generatedBy": "scripts/statistics-reference.py", "scipy": __import__("scipy").__version__, "cases": cases}, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{total} reference cases written to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
