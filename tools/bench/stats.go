package main

import (
	"math"
	"slices"
)

// Sample is a set of measurements of one figure, in milliseconds or calls
// per second.
type Sample []float64

// Median is the middle value (the mean of the two middle ones for an even
// count); NaN when empty.
func (s Sample) Median() float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	v := slices.Sorted(slices.Values(s))
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// Percentile is the nearest-rank percentile p (0 < p ≤ 100): the smallest
// value with at least p% of the sample at or below it, so that the p95 of
// 30 loads is the 29th fastest, an actual load. NaN when empty.
func (s Sample) Percentile(p float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	v := slices.Sorted(slices.Values(s))
	rank := int(math.Ceil(p / 100 * float64(len(v))))
	rank = min(max(rank, 1), len(v))
	return v[rank-1]
}

// Max is the largest value; NaN when empty.
func (s Sample) Max() float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	return slices.Max(s)
}

// ratio is a / b, NaN when either is missing or b is 0.
func ratio(a, b float64) float64 {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	return a / b
}
