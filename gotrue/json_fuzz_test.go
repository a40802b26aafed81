package gotrue

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// addJSONSeeds seeds f with the table's inputs and a few more.
func addJSONSeeds(f *testing.F) {
	for _, c := range stringifyCases(f) {
		f.Add(c.In)
	}
	for _, s := range []string{
		`{"b":1,"1":2,"1":3}`, `[[[[{"a":[{"0":1}]}]]]]`, `"\ud800\udc00\ud800"`, "\"\xed\xa0\x80\xed\xb0\x80\"",
		strings.Repeat(`{"a":[`, 300) + strings.Repeat("]}", 300), // deeper than the old bound, 512
		strings.Repeat("[", 10_001) + strings.Repeat("]", 10_001), // deeper than encoding/json takes
	} {
		f.Add([]byte(s))
	}
}

// FuzzValidJSON: ValidJSON agrees with encoding/json's Valid, which also
// accepts bytes that are not UTF-8 inside strings (the browser decodes them
// to U+FFFD, which JSON.parse takes). One justified exception: encoding/json
// refuses more than 10,000 levels of nesting, JSON.parse and ValidJSON do
// not. A valid value re-encodes to valid JSON, and re-encoding that changes
// nothing.
func FuzzValidJSON(f *testing.F) {
	addJSONSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		valid := validJSON(data)
		if want := json.Valid(data); valid != want {
			var raw json.RawMessage
			err := json.Unmarshal(data, &raw)
			if !valid || err == nil || !strings.Contains(err.Error(), "exceeded max depth") {
				t.Fatalf("ValidJSON = %v, json.Valid = %v (%v)", valid, want, err)
			}
		}
		if !valid {
			return
		}
		var once, twice bytes.Buffer
		writeJSValue(&once, data)
		if !validJSON(once.Bytes()) || !utf8.Valid(once.Bytes()) {
			t.Fatalf("re-encoded %q is not valid UTF-8 JSON", once.Bytes())
		}
		writeJSValue(&twice, once.Bytes())
		if !bytes.Equal(once.Bytes(), twice.Bytes()) {
			t.Fatalf("re-encoding %q gives %q", once.Bytes(), twice.Bytes())
		}
	})
}

// FuzzDecodeString: decodeString accepts the string literals encoding/json
// accepts and decodes them to the same text, with two documented
// differences, both JavaScript's semantics. A lone surrogate escape
// decodes to its three-byte WTF-8 form, where encoding/json writes U+FFFD.
// Bytes that are not UTF-8 become one U+FFFD for each maximal ill-formed
// subsequence, as the browser's decoder does, where encoding/json writes
// one for each byte; so the two are compared with each run of U+FFFD as
// one, and TestJSONStringifyTable checks the counts against TextDecoder.
// What decodeString gives is written back as the same text.
func FuzzDecodeString(f *testing.F) {
	addJSONSeeds(f)
	f.Fuzz(func(t *testing.T, inside []byte) {
		raw := append(append([]byte{'"'}, inside...), '"')
		got, ok := decodeString(raw)
		var want string
		if err := json.Unmarshal(raw, &want); ok != (err == nil) {
			t.Fatalf("decodeString ok = %v, encoding/json: %v", ok, err)
		}
		if !ok {
			return
		}
		if a, b := collapseFFFD(wtf8ToFFFD(got)), collapseFFFD(want); a != b {
			t.Fatalf("decodeString(%q) = %q, encoding/json %q", raw, got, want)
		}
		back, ok := decodeString(jsonString(got))
		if !ok || back != got {
			t.Fatalf("%q is written back as %q", got, jsonString(got))
		}
	})
}

// wtf8ToFFFD replaces the three-byte form of each surrogate with U+FFFD.
func wtf8ToFFFD(str string) string {
	var b strings.Builder
	s := []byte(str)
	for i := 0; i < len(s); i++ {
		if _, ok := wtf8Surrogate(s[i:]); ok {
			b.WriteString("\uFFFD")
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// collapseFFFD makes each run of U+FFFD one.
func collapseFFFD(s string) string {
	for strings.Contains(s, "\uFFFD\uFFFD") {
		s = strings.ReplaceAll(s, "\uFFFD\uFFFD", "\uFFFD")
	}
	return s
}
