package main

import (
	"math"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		s    Sample
		want float64
	}{
		{Sample{3, 1, 2}, 2},
		{Sample{4, 1, 3, 2}, 2.5},
		{Sample{7}, 7},
	} {
		if got := c.s.Median(); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.s, got, c.want)
		}
	}
	if !math.IsNaN(Sample{}.Median()) {
		t.Error("Median of nothing is not NaN")
	}
}

func TestPercentileNearestRank(t *testing.T) {
	var s Sample
	for i := 30; i >= 1; i-- { // 1..30, shuffled order must not matter
		s = append(s, float64(i))
	}
	if got := s.Percentile(95); got != 29 {
		t.Errorf("p95 of 1..30 = %v, want 29 (the 29th value)", got)
	}
	if got := s.Percentile(50); got != 15 {
		t.Errorf("p50 of 1..30 = %v, want 15", got)
	}
	if got := s.Percentile(100); got != 30 {
		t.Errorf("p100 = %v, want 30", got)
	}
	if got := (Sample{5}).Percentile(1); got != 5 {
		t.Errorf("p1 of one value = %v", got)
	}
	if s[0] != 30 {
		t.Error("Percentile sorted the caller's sample")
	}
}

func TestRatio(t *testing.T) {
	if got := ratio(3, 2); got != 1.5 {
		t.Errorf("ratio(3, 2) = %v", got)
	}
	for _, r := range []float64{ratio(1, 0), ratio(math.NaN(), 1), ratio(1, math.NaN())} {
		if !math.IsNaN(r) {
			t.Errorf("ratio with a missing side = %v, want NaN", r)
		}
	}
}
