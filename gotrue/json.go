package gotrue

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// RawJSON is one encoded JSON value. The package reads and writes JSON with
// this small scanner instead of encoding/json: encoding/json pulls fmt and
// reflection into the browser build and makes gotrue.wasm much larger, and
// the client only ever needs to walk objects in order and read strings and
// numbers. A RawJSON can be passed to encoding/json.Unmarshal as it is.
type RawJSON []byte

// MarshalJSON returns r as it is (null when empty), so that encoding/json
// writes the value itself rather than base64 bytes.
func (r RawJSON) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("null"), nil
	}
	return r, nil
}

// UnmarshalJSON keeps a copy of data, as json.RawMessage does.
func (r *RawJSON) UnmarshalJSON(data []byte) error {
	*r = append((*r)[:0], data...)
	return nil
}

// maxDepth bounds nesting. The scanner and the encoder keep their stacks on
// the heap, so depth never grows the goroutine stack; the bound only caps
// what a hostile answer can make them allocate (some 80 bytes a level, so
// about 80 MB for 2 MiB of brackets). JSON.parse has no bound, but
// JSON.stringify overflows the browser's stack a few thousand levels deep,
// so gotrue-js could not save anything near this deep anyway.
const maxDepth = 1 << 20

var (
	errSyntax   = errors.New("invalid JSON")
	errTooDeep  = errors.New("invalid JSON: nested too deeply")
	errTrailing = errors.New("invalid JSON: unexpected data after the value")
)

// validJSON reports whether data is exactly one JSON value, as JSON.parse
// would find it once the browser has decoded the bytes: bytes that are not
// UTF-8 inside a string are accepted, since the decoder turns them into
// U+FFFD there.
func validJSON(data []byte) bool {
	_, err := scanAll(data)
	return err == nil
}

// scanAll checks that data is one JSON value, with white space around it,
// and returns the value without the white space.
func scanAll(data []byte) (RawJSON, error) {
	start := skipSpace(data, 0)
	end, err := scanValue(data, start, nil)
	if err != nil {
		return nil, err
	}
	if skipSpace(data, end) != len(data) {
		return nil, errTrailing
	}
	return RawJSON(data[start:end]), nil
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// span is where a container ends and the ordinal, in document order, of
// the first container after it: with them the encoder steps over a nested
// value without reading it again.
type span struct{ end, next int }

// scanValue returns the end of the value that starts at data[i]. It keeps
// its own stack instead of recursing, so that deep nesting costs heap, not
// goroutine stack. With spans, it appends the span of each container in
// document order.
func scanValue(data []byte, i int, spans *[]span) (int, error) {
	var closing []byte // the bracket that closes each open container
	var open []int     // with spans, the ordinal of each open container
	var err error
	for {
		// A value starts at i.
		if i >= len(data) {
			return 0, errSyntax
		}
		switch c := data[i]; {
		case c == '{' || c == '[':
			if len(closing) >= maxDepth {
				return 0, errTooDeep
			}
			if spans != nil {
				open = append(open, len(*spans))
				*spans = append(*spans, span{})
			}
			end := c + 2 // '}' and ']' come two after '{' and '['
			closing = append(closing, end)
			if i = skipSpace(data, i+1); i < len(data) && data[i] == end {
				break // empty: closed below
			}
			if c == '{' {
				if i, err = scanKey(data, i); err != nil {
					return 0, err
				}
			}
			continue
		case c == '"':
			i, err = scanString(data, i)
		case c == '-' || c >= '0' && c <= '9':
			i, err = scanNumber(data, i)
		case bytes.HasPrefix(data[i:], []byte("true")):
			i += 4
		case bytes.HasPrefix(data[i:], []byte("false")):
			i += 5
		case bytes.HasPrefix(data[i:], []byte("null")):
			i += 4
		default:
			return 0, errSyntax
		}
		if err != nil {
			return 0, err
		}
		// After a value: close what it ends, or go on to the next one.
		for {
			if len(closing) == 0 {
				return i, nil
			}
			if i = skipSpace(data, i); i >= len(data) {
				return 0, errSyntax
			}
			end := closing[len(closing)-1]
			if data[i] == end {
				i++
				closing = closing[:len(closing)-1]
				if spans != nil {
					(*spans)[open[len(open)-1]] = span{end: i, next: len(*spans)}
					open = open[:len(open)-1]
				}
				continue
			}
			if data[i] != ',' {
				return 0, errSyntax
			}
			i = skipSpace(data, i+1)
			if end == '}' {
				if i, err = scanKey(data, i); err != nil {
					return 0, err
				}
			}
			break
		}
	}
}

// scanKey reads `"key" :` at data[i] and returns where the value starts.
func scanKey(data []byte, i int) (int, error) {
	if i >= len(data) || data[i] != '"' {
		return 0, errSyntax
	}
	i, err := scanString(data, i)
	if err != nil {
		return 0, err
	}
	if i = skipSpace(data, i); i >= len(data) || data[i] != ':' {
		return 0, errSyntax
	}
	return skipSpace(data, i+1), nil
}

func scanString(data []byte, i int) (int, error) {
	for i++; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			return i + 1, nil
		case c == '\\':
			i++
			if i >= len(data) {
				return 0, errSyntax
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(data) || hex4(data[i+1:i+5]) < 0 {
					return 0, errSyntax
				}
				i += 4
			default:
				return 0, errSyntax
			}
		case c < 0x20:
			return 0, errSyntax
		}
	}
	return 0, errSyntax
}

func scanNumber(data []byte, i int) (int, error) {
	digits := func() bool {
		start := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		return i > start
	}
	if data[i] == '-' {
		i++
	}
	if i < len(data) && data[i] == '0' {
		i++
	} else if !digits() {
		return 0, errSyntax
	}
	if i < len(data) && data[i] == '.' {
		i++
		if !digits() {
			return 0, errSyntax
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if !digits() {
			return 0, errSyntax
		}
	}
	return i, nil
}

// decodeString decodes a JSON string literal, quotes included, as
// JSON.parse reads it from the bytes a browser has decoded. The result is
// WTF-8: a lone surrogate escape (\ud800) becomes the surrogate's
// three-byte form, which is not UTF-8, so that it is written back as the
// same escape and two such keys stay apart from U+FFFD; encoding/json
// turns it into U+FFFD instead. Bytes that are not UTF-8 become U+FFFD, one
// for each maximal ill-formed subsequence, as the WHATWG decoder does;
// encoding/json writes one for each byte.
func decodeString(raw []byte) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	if end, err := scanString(raw, 0); err != nil || end != len(raw) {
		return "", false
	}
	var buf []byte
	return string(stringText(&buf, raw)), true
}

// stringText is the text of the valid JSON string literal raw, as
// decodeString describes: raw's inside when it is plain UTF-8 already, else
// its decoding, made in *buf, which it reuses.
func stringText(buf *[]byte, raw []byte) []byte {
	s := raw[1 : len(raw)-1]
	if bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
		return s
	}
	b := (*buf)[:0]
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			n, ok := utf8Seq(s[i:])
			if ok {
				b = append(b, s[i:i+n]...)
			} else {
				b = append(b, "\uFFFD"...)
			}
			i += n
			continue
		}
		if c != '\\' {
			b = append(b, c)
			i++
			continue
		}
		c = s[i+1]
		i += 2
		switch c {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r := hex4(s[i : i+4])
			i += 4
			// A high surrogate and a low one make one character.
			if 0xD800 <= r && r < 0xDC00 && i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
				if lo := hex4(s[i+2 : i+6]); 0xDC00 <= lo && lo <= 0xDFFF {
					r = utf16.DecodeRune(r, lo)
					i += 6
				}
			}
			if utf16.IsSurrogate(r) {
				b = append(b, 0xE0|byte(r>>12), 0x80|byte(r>>6)&0x3F, 0x80|byte(r)&0x3F)
			} else {
				b = utf8.AppendRune(b, r)
			}
		default: // " \ /
			b = append(b, c)
		}
	}
	*buf = b
	return b
}

// utf8Seq is the length of the UTF-8 sequence s starts with and whether it
// is well formed. An ill-formed one is as long as its maximal subpart: the
// lead byte and the continuation bytes that could still have made it well
// formed, which the WHATWG decoder (fetch, TextDecoder) turns into one
// U+FFFD. utf8.DecodeRune gives 1 for all of them.
func utf8Seq(s []byte) (int, bool) {
	if r, n := utf8.DecodeRune(s); r != utf8.RuneError || n > 1 {
		return n, true
	}
	lo, hi, need := byte(0x80), byte(0xBF), 0
	switch c := s[0]; {
	case 0xC2 <= c && c <= 0xDF:
		need = 1
	case c == 0xE0: // no overlong forms
		lo, need = 0xA0, 2
	case c == 0xED: // no surrogates
		hi, need = 0x9F, 2
	case 0xE1 <= c && c <= 0xEF:
		need = 2
	case c == 0xF0: // no overlong forms
		lo, need = 0x90, 3
	case c == 0xF4: // nothing above U+10FFFF
		hi, need = 0x8F, 3
	case 0xF1 <= c && c <= 0xF3:
		need = 3
	}
	n := 1
	for n <= need && n < len(s) && lo <= s[n] && s[n] <= hi {
		n++
		lo, hi = 0x80, 0xBF
	}
	return n, false
}

// browserText is b as the WHATWG decoder (response.text()) reads it: each
// maximal ill-formed subsequence becomes one U+FFFD. The result is UTF-8,
// so the bytes of a surrogate are never taken for a lone one.
func browserText(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b)+8)
	for i := 0; i < len(b); {
		n, ok := 1, b[i] < utf8.RuneSelf
		if !ok {
			n, ok = utf8Seq(b[i:])
		}
		if ok {
			out = append(out, b[i:i+n]...)
		} else {
			out = append(out, "\uFFFD"...)
		}
		i += n
	}
	return out
}

// wtf8Surrogate reads the three-byte form of a surrogate at the start of s,
// as decodeString writes a lone one.
func wtf8Surrogate(s []byte) (rune, bool) {
	if len(s) < 3 || s[0] != 0xED || s[1] < 0xA0 || s[1] > 0xBF || s[2] < 0x80 || s[2] > 0xBF {
		return 0, false
	}
	return 0xD000 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F), true
}

// hex4 is the value of four hex digits, or -1.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return -1
		}
	}
	return r
}

// parseNumber reads a JSON number; a number too large for a float64 is
// ±Inf, as in JavaScript. Anything but a JSON number literal is refused.
func parseNumber(raw []byte) (float64, bool) {
	if len(raw) == 0 || !(raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		return 0, false
	}
	if end, err := scanNumber(raw, 0); err != nil || end != len(raw) {
		return 0, false
	}
	if f, ok := parseSmallInt(raw); ok {
		return f, true
	}
	return parseFloat(string(raw))
}

// parseSmallInt reads an integer literal of at most 15 digits, which a
// float64 holds exactly: expires_at, exp and expires_in, read on every
// fresh jwt(), never reach the general parser (in the browser, a call
// into JavaScript).
func parseSmallInt(raw []byte) (float64, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	digits := raw
	if digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	f := float64(n)
	if raw[0] == '-' {
		f = -f // -0 stays -0, as JSON.parse gives
	}
	return f, true
}

// walkMembers calls fn with the raw key and the start of the value of each
// member of the valid JSON object at data[i], in order; fn returns where
// the value ends.
func walkMembers(data []byte, i int, fn func(key []byte, val int) (end int)) {
	for i = skipSpace(data, i+1); i < len(data) && data[i] == '"'; {
		kEnd, _ := scanString(data, i)
		val := skipSpace(data, skipSpace(data, kEnd)+1) // past the colon
		if i = skipSpace(data, fn(data[i:kEnd], val)); i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
}

// forEachElement calls fn with each raw element of a valid JSON array.
func forEachElement(arr []byte, fn func(val RawJSON)) {
	i := skipSpace(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return
	}
	i = skipSpace(arr, i+1)
	if i < len(arr) && arr[i] == ']' {
		return
	}
	for {
		end, err := scanValue(arr, i, nil)
		if err != nil {
			return
		}
		fn(RawJSON(arr[i:end]))
		i = skipSpace(arr, end)
		if i >= len(arr) || arr[i] != ',' {
			return
		}
		i = skipSpace(arr, i+1)
	}
}

// writeJSValue re-encodes a valid JSON value as JSON.stringify(JSON.parse(v))
// would: keys in JavaScript's order (array indices first; a repeated key
// keeps its first place and last value), strings escaped the JavaScript
// way, numbers in JavaScript's shortest form. Go servers escape <, > and &
// and may write 1.0; gotrue-js would store them otherwise. Anything that
// is not one JSON value is written as null.
func writeJSValue(buf *bytes.Buffer, v []byte) {
	e := encoder{buf: buf}
	e.write(v)
}

// encoder re-encodes JSON in time linear in its size, however deep: a
// first pass records where each container ends (spans), so that reading
// an object's members steps over their values instead of reading them
// again, and the second pass writes with its own stack rather than
// recursing. An encoder's buffers serve value after value.
type encoder struct {
	buf     *bytes.Buffer
	data    []byte
	spans   []span
	stack   []frame
	members []member       // the members of the open objects, innermost last
	seen    map[string]int // the index in members of each key of the object being read
	text    []byte         // a decoded string
}

// frame is an open container. An array's frame has at, the offset of its
// next element (or of its close), and next, the ordinal of the next
// container in it. An object's has at, the index in members of its first
// member, next, that of the next one to write, and end, past its last.
type frame struct {
	obj           bool
	at, next, end int
}

// member is a key of an object being written and where its value is.
type member struct {
	key            string
	order          uint64 // keyOrder(key)
	val, end, span int    // the value's offsets, and its span's ordinal when it is a container
}

func (e *encoder) write(v []byte) {
	e.data, e.spans = trimSpace(v), e.spans[:0]
	if end, err := scanValue(e.data, 0, &e.spans); err != nil || end != len(e.data) {
		e.buf.WriteString("null")
		return
	}
	e.value(0, len(e.data), 0)
	for len(e.stack) > 0 {
		f := &e.stack[len(e.stack)-1]
		if f.obj {
			if f.next == f.end {
				e.buf.WriteByte('}')
				e.members = e.members[:f.at]
				e.stack = e.stack[:len(e.stack)-1]
				continue
			}
			if f.next > f.at {
				e.buf.WriteByte(',')
			}
			m := e.members[f.next]
			f.next++
			writeJSONString(e.buf, []byte(m.key))
			e.buf.WriteByte(':')
			e.value(m.val, m.end, m.span)
			continue
		}
		i := skipSpace(e.data, f.at)
		switch e.data[i] {
		case ']':
			e.buf.WriteByte(']')
			e.stack = e.stack[:len(e.stack)-1]
			continue
		case ',':
			e.buf.WriteByte(',')
			i = skipSpace(e.data, i+1)
		}
		end, ord := e.skip(i, &f.next)
		f.at = end
		e.value(i, end, ord)
	}
}

// skip returns the end of the value at data[i] and, when it is a
// container, its ordinal, which *next holds; *next moves past it.
func (e *encoder) skip(i int, next *int) (end, ord int) {
	if c := e.data[i]; c == '{' || c == '[' {
		ord = *next
		*next = e.spans[ord].next
		return e.spans[ord].end, ord
	}
	end, _ = scanValue(e.data, i, nil)
	return end, -1
}

// value writes the value data[i:end], or opens its frame when it is a
// container with ordinal ord.
func (e *encoder) value(i, end, ord int) {
	v := e.data[i:end]
	switch v[0] {
	case '{':
		e.buf.WriteByte('{')
		at := len(e.members)
		e.readMembers(i, ord)
		e.stack = append(e.stack, frame{obj: true, at: at, next: at, end: len(e.members)})
	case '[':
		e.buf.WriteByte('[')
		e.stack = append(e.stack, frame{at: i + 1, next: ord + 1})
	case '"':
		writeJSONString(e.buf, stringText(&e.text, v))
	case 't', 'f', 'n':
		e.buf.Write(v)
	default:
		f, _ := parseNumber(v)
		e.buf.WriteString(jsNumber(f))
	}
}

// readMembers appends the members of the object at data[i], ordinal ord,
// in the order JSON.stringify(JSON.parse()) writes them.
func (e *encoder) readMembers(i, ord int) {
	if e.seen == nil {
		e.seen = make(map[string]int)
	}
	at, next := len(e.members), ord+1
	walkMembers(e.data, i, func(key []byte, val int) int {
		k := string(stringText(&e.text, key))
		end, span := e.skip(val, &next)
		if j, ok := e.seen[k]; ok { // JSON.parse: first place, last value
			m := &e.members[j]
			m.val, m.end, m.span = val, end, span
		} else {
			e.seen[k] = len(e.members)
			e.members = append(e.members, member{key: k, order: keyOrder(k), val: val, end: end, span: span})
		}
		return end
	})
	for _, m := range e.members[at:] {
		delete(e.seen, m.key)
	}
	jsOrder(e.members[at:])
}

// otherKey is the keyOrder of a key that is not an array index.
const otherKey = 1 << 32

// keyOrder is where JavaScript lists a key among an object's keys: an array
// index (the canonical decimal form of an integer below 2^32-1) by its
// value, before every other key, which all get otherKey and so keep the
// order they were added in.
func keyOrder(k string) uint64 {
	if len(k) == 0 || len(k) > 10 || len(k) > 1 && k[0] == '0' {
		return otherKey
	}
	var n uint64
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return otherKey
		}
		n = n*10 + uint64(k[i]-'0')
	}
	if n >= 1<<32-1 {
		return otherKey
	}
	return n
}

// jsOrder sorts members by order, keeping the order of equal ones: array
// indices ascending, then the other keys as they came. A radix sort, so
// that even an object of a million index keys sorts in linear time.
func jsOrder(ms []member) {
	sorted := true
	for i := 1; i < len(ms) && sorted; i++ {
		sorted = ms[i-1].order <= ms[i].order
	}
	if sorted {
		return
	}
	src, dst := ms, make([]member, len(ms))
	for shift := 0; shift <= 32; shift += 8 { // order has 33 bits
		var count [257]int
		for _, m := range src {
			count[m.order>>shift&0xFF+1]++
		}
		for d := 1; d < len(count); d++ {
			count[d] += count[d-1]
		}
		for _, m := range src {
			d := m.order >> shift & 0xFF
			dst[count[d]] = m
			count[d]++
		}
		src, dst = dst, src
	}
	copy(ms, src)
}

// trimSpace drops JSON white space around a value (bytes.TrimSpace would
// link Unicode tables into the browser build).
func trimSpace(v []byte) []byte {
	v = v[skipSpace(v, 0):]
	for len(v) > 0 && (v[len(v)-1] == ' ' || v[len(v)-1] == '\t' || v[len(v)-1] == '\n' || v[len(v)-1] == '\r') {
		v = v[:len(v)-1]
	}
	return v
}

// jsNumber formats f as JavaScript's Number.prototype.toString does;
// NaN and infinities become null as in JSON.stringify.
func jsNumber(f float64) string {
	switch {
	case math.IsInf(f, 0) || math.IsNaN(f):
		return "null"
	case f == 0:
		return "0"
	}
	abs := math.Abs(f)
	if abs >= 1e-6 && abs < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // 1e+21, 1.5e-07
	mant, exp, _ := strings.Cut(s, "e")
	return mant + "e" + exp[:1] + strings.TrimLeft(exp[1:], "0")
}

// writeJSONString escapes s as JSON.stringify does: only quotes,
// backslashes, control characters and lone surrogates, so that non-ASCII
// text and <, >, & stay as they are and a saved session matches
// gotrue-js's byte for byte. s is WTF-8, as decodeString returns it: the
// three-byte form of a lone surrogate is written as its escape (two that
// make a pair, as the halves of a JavaScript string do, as the character
// they make), and bytes that are not UTF-8 as U+FFFD, as a browser would
// decode them.
func writeJSONString(buf *bytes.Buffer, s []byte) {
	const hex = "0123456789abcdef"
	buf.WriteByte('"')
	start := 0 // s[start:i] is written as it is
	for i := 0; i < len(s); {
		c := s[i]
		n, ok := 1, c >= 0x20 && c != '"' && c != '\\'
		if c >= utf8.RuneSelf {
			n, ok = utf8Seq(s[i:])
		}
		if ok {
			i += n
			continue
		}
		buf.Write(s[start:i])
		switch c {
		case '"', '\\':
			buf.WriteByte('\\')
			buf.WriteByte(c)
		case '\n':
			buf.WriteString(`\n`)
		case '\r':
			buf.WriteString(`\r`)
		case '\t':
			buf.WriteString(`\t`)
		case '\b':
			buf.WriteString(`\b`)
		case '\f':
			buf.WriteString(`\f`)
		default:
			r, sur := wtf8Surrogate(s[i:])
			switch {
			case c < 0x20:
				buf.WriteString(`\u00`)
				buf.WriteByte(hex[c>>4])
				buf.WriteByte(hex[c&0xf])
			case !sur:
				buf.WriteString("\uFFFD")
			default:
				n = 3
				if lo, ok := wtf8Surrogate(s[i+3:]); ok && r < 0xDC00 && lo >= 0xDC00 {
					var b [4]byte
					buf.Write(utf8.AppendRune(b[:0], utf16.DecodeRune(r, lo)))
					n = 6
				} else {
					buf.WriteString(`\u`)
					for shift := 12; shift >= 0; shift -= 4 {
						buf.WriteByte(hex[r>>shift&0xF])
					}
				}
			}
		}
		i += n
		start = i
	}
	buf.Write(s[start:])
	buf.WriteByte('"')
}

// jsonString encodes s as a JSON string.
func jsonString(s string) RawJSON {
	var buf bytes.Buffer
	writeJSONString(&buf, []byte(s))
	return buf.Bytes()
}
