package keys

import (
	"slices"
	"testing"
)

func TestSorted(t *testing.T) {
	for _, m := range []map[string]int{
		nil,
		{},
		{"a": 1},
		{"X-Use-Cookie": 1, "X-Nf-Client": 2, "Content-Type": 3, "b": 4, "": 5, "B": 6, "ab": 7, "a": 8},
	} {
		got := Sorted(m)
		want := make([]string, 0, len(m))
		for k := range m {
			want = append(want, k)
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Sorted(%v) = %q, want %q", m, got, want)
		}
	}
}
