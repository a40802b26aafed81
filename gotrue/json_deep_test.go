package gotrue

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// nestedObjects is about size bytes of objects nested depth deep, each
// level holding a padding string and the next level, so that re-encoding
// it costs size × depth when each level re-reads what it holds.
func nestedObjects(depth, size int) []byte {
	pad := `"` + strings.Repeat("x", max(size/depth-16, 0)) + `"`
	var b strings.Builder
	for range depth {
		b.WriteString(`{"p":` + pad + `,"a":`)
	}
	b.WriteString("1")
	b.WriteString(strings.Repeat("}", depth))
	return []byte(b.String())
}

// reencode is what saving a session does to an answer.
func reencode(t testing.TB, in []byte) []byte {
	t.Helper()
	o, err := ParseObject(in)
	require.NoError(t, err)
	return o.Bytes()
}

// requireSame compares long outputs without printing them.
func requireSame(t *testing.T, want, got []byte) {
	t.Helper()
	if !bytes.Equal(want, got) {
		i := 0
		for i < len(want) && i < len(got) && want[i] == got[i] {
			i++
		}
		t.Fatalf("output differs at byte %d of %d (got %d bytes)", i, len(want), len(got))
	}
}

// JSON.parse takes any depth. JSON.stringify overflows the browser's stack
// a few thousand levels down (node --stack-size=65500 writes these), so the
// expected output is what it writes with stack enough. The goroutine's
// stack is capped at 1 MiB, which recursion would need some hundred times
// over at 100,000 levels: the scanner and the encoder must not recurse.
func TestDeepNestingRoundTrips(t *testing.T) {
	defer debug.SetMaxStack(debug.SetMaxStack(1 << 20))
	for _, depth := range []int{10_000, 100_000} {
		t.Run(strconv.Itoa(depth), func(t *testing.T) {
			arrays := strings.Repeat("[", depth) + strings.Repeat("]", depth)
			objects := strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
			// Each level has its keys reordered: the index key comes first.
			mixedIn := `{"v":` + strings.Repeat(`{"b":0,"1":[`, depth) + "null" + strings.Repeat(`]}`, depth) + "}"
			mixedOut := `{"v":` + strings.Repeat(`{"1":[`, depth) + "null" + strings.Repeat(`],"b":0}`, depth) + "}"
			for _, c := range []struct{ in, out string }{
				{`{"v":` + arrays + `}`, `{"v":` + arrays + `}`},
				{objects, objects},
				{mixedIn, mixedOut},
			} {
				require.True(t, validJSON([]byte(c.in)))
				requireSame(t, []byte(c.out), reencode(t, []byte(c.in)))
				var buf bytes.Buffer
				writeJSValue(&buf, []byte(c.in))
				requireSame(t, []byte(c.out), buf.Bytes())
			}
		})
	}
}

// allocated is the bytes re-encoding in takes, the least of three runs so
// that another goroutine's allocations count as little as they can.
func allocated(t *testing.T, in []byte) uint64 {
	least := ^uint64(0)
	for range 3 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		reencode(t, in)
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	return least
}

// Re-encoding ten times the input, ten times as deep, must take about ten
// times the memory (10x to 20x, as slices grow by doubling): re-reading
// each level's value at every level above it, as the encoder once did,
// takes a hundred times or more. Memory, not time, so that the test holds
// on a loaded machine.
func TestReencodingIsLinearInDepth(t *testing.T) {
	small := allocated(t, nestedObjects(2_000, 2_000*128))
	large := allocated(t, nestedObjects(20_000, 20_000*128))
	ratio := float64(large) / float64(small)
	t.Logf("%d bytes, then %d bytes: %.1fx", small, large, ratio)
	require.Less(t, ratio, 40.0, "allocation grows faster than the input")
}

// BenchmarkReencodeNested re-encodes 1 MiB of objects nested 500 deep and
// 10,000 deep.
func BenchmarkReencodeNested(b *testing.B) {
	for _, depth := range []int{500, 10_000} {
		b.Run(strconv.Itoa(depth), func(b *testing.B) {
			in := nestedObjects(depth, 1<<20)
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				reencode(b, in)
			}
		})
	}
}
