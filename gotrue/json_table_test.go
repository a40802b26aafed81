package gotrue

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stringifyTable is what node's JSON.stringify(JSON.parse(text)) made of
// each input, text being the input's bytes decoded by TextDecoder as
// response.json() decodes them; testdata/json/stringify.mjs wrote it.
// Embedded, so that the browser build of the tests reads it too.
//
//go:embed testdata/json/stringify.json
var stringifyTable []byte

type stringifyCase struct {
	Name string
	In   []byte  // base64 in the file: some inputs are not UTF-8
	Out  *string // nil where JSON.parse throws
}

func stringifyCases(t testing.TB) []stringifyCase {
	var cases []stringifyCase
	require.NoError(t, json.Unmarshal(stringifyTable, &cases))
	return cases
}

func TestJSONStringifyTable(t *testing.T) {
	for _, c := range stringifyCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			require.Equal(t, c.Out != nil, validJSON(c.In), "valid")
			if c.Out == nil {
				return
			}
			var buf bytes.Buffer
			writeJSValue(&buf, c.In)
			assert.Equal(t, *c.Out, buf.String(), "writeJSValue")
			if o, err := ParseObject(c.In); err == nil {
				assert.Equal(t, *c.Out, string(o.Bytes()), "ParseObject")
			}
		})
	}
}

func TestObjectListsIndexKeysFirst(t *testing.T) {
	o, err := ParseObject([]byte(`{"b":1,"10":2,"a":3,"2":4,"01":5,"10":6}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"2", "10", "b", "a", "01"}, o.Keys())
	assert.Equal(t, `{"2":4,"10":6,"b":1,"a":3,"01":5}`, string(o.Bytes()))
	o.Set("0", RawJSON(`0`))
	o.Set("c", RawJSON(`0`))
	o.Delete("10")
	assert.Equal(t, `{"0":0,"2":4,"b":1,"a":3,"01":5,"c":0}`, string(o.Bytes()))
}

func TestKeyOrder(t *testing.T) {
	for k, want := range map[string]uint64{
		"0": 0, "7": 7, "42": 42, "4294967294": 4294967294,
		"4294967295": otherKey, "4294967296": otherKey, "99999999999": otherKey,
		"01": otherKey, "00": otherKey, "-0": otherKey, "-1": otherKey, "1.5": otherKey,
		"": otherKey, "+1": otherKey, " 1": otherKey, "1e3": otherKey, "a": otherKey,
	} {
		assert.Equal(t, want, keyOrder(k), "key %q", k)
	}
}

// A sort of many index keys in reverse, which insertion would make
// quadratic, and of keys that differ in every byte of their order.
func TestJSOrderSortsManyIndexKeys(t *testing.T) {
	var in, out bytes.Buffer
	in.WriteString(`{"x":0`)
	for i := 3000; i >= 0; i-- {
		in.WriteString(`,"` + string(rune('0'+i%10)) + `":0`) // repeated keys too
	}
	in.WriteString(`,"4294967294":1,"16777216":2,"65536":3,"256":4}`)
	out.WriteString(`{"0":0,"1":0,"2":0,"3":0,"4":0,"5":0,"6":0,"7":0,"8":0,"9":0,"256":4,"65536":3,"16777216":2,"4294967294":1,"x":0}`)
	assert.Equal(t, out.String(), string(reencode(t, in.Bytes())))
}

func TestDecodeStringKeepsLoneSurrogates(t *testing.T) {
	for _, c := range []struct{ in, decoded, written string }{
		{`"\ud800"`, "\xed\xa0\x80", `"\ud800"`},
		{`"\uDFFF!"`, "\xed\xbf\xbf!", `"\udfff!"`},
		{`"\ud83d\ude00"`, "😀", `"😀"`},
		{`"\ude00\ud83d"`, "\xed\xb8\x80\xed\xa0\xbd", `"\ude00\ud83d"`},
		{`"\ud83d\ud83d\ude00"`, "\xed\xa0\xbd😀", `"\ud83d😀"`},
	} {
		got, ok := decodeString([]byte(c.in))
		require.True(t, ok, c.in)
		assert.Equal(t, c.decoded, got, c.in)
		assert.Equal(t, c.written, string(jsonString(got)), c.in)
	}
	// Written back, two halves that make a pair are the character.
	assert.Equal(t, `"😀"`, string(jsonString("\xed\xa0\xbd\xed\xb8\x80")))
	o, err := ParseObject([]byte(`{"\ud800":1,"\ufffd":2}`))
	require.NoError(t, err)
	assert.Equal(t, 2, o.Len(), "a lone surrogate is not U+FFFD")
}

// The browser's decoder replaces each maximal ill-formed subsequence with
// one U+FFFD: fewer than one a byte, more than one a run.
func TestDecodeStringReplacesBadBytesLikeTextDecoder(t *testing.T) {
	for in, want := range map[string]string{
		"\x80\xbf":              "��",
		"\xc0\x80":              "��",
		"\xc2A":                 "�A",
		"\xe0\x80\x80":          "���",
		"\xe0\xa0":              "�",
		"\xe2\x82\xe2\x82":      "��",
		"\xed\xa0\x80":          "���",
		"\xf0\x90\x80":          "�",
		"\xf0\x80\x80\x80":      "����",
		"\xf4\x90\x80\x80":      "����",
		"\xf4\x8f\xbf":          "�",
		"\xf5\xff":              "��",
		"ok\xe2\x82\\n\xf0\x9f": "ok�\n�",
	} {
		got, ok := decodeString([]byte(`"` + in + `"`))
		require.True(t, ok, "%q", in)
		assert.Equal(t, want, got, "%q", in)
	}
	// A Go string that is not UTF-8 is written as a browser decodes it,
	// except for the three-byte form of a surrogate, which is WTF-8.
	assert.Equal(t, `"a��b"`, string(jsonString("a\xe2\x82\xffb")))
	for _, bad := range []string{`"a`, `"\x"`, `"\u12"`, "\"\t\"", `"a"b"`, `"\"`, `x`, ``} {
		_, ok := decodeString([]byte(bad))
		assert.False(t, ok, "%q", bad)
	}
}
