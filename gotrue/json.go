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

// maxDepth bounds nesting, so that hostile input cannot exhaust the stack.
const maxDepth = 512

var (
	errSyntax   = errors.New("invalid JSON")
	errTooDeep  = errors.New("invalid JSON: nested too deeply")
	errTrailing = errors.New("invalid JSON: unexpected data after the value")
)

// ValidJSON reports whether data is exactly one JSON value.
func ValidJSON(data []byte) bool {
	_, err := scanAll(data)
	return err == nil
}

// scanAll checks that data is one JSON value, with white space around it,
// and returns the value without the white space.
func scanAll(data []byte) (RawJSON, error) {
	start := skipSpace(data, 0)
	end, err := scanValue(data, start, 0)
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

// scanValue returns the end of the value that starts at data[i].
func scanValue(data []byte, i, depth int) (int, error) {
	if i >= len(data) {
		return 0, errSyntax
	}
	switch c := data[i]; {
	case c == '{' || c == '[':
		return scanContainer(data, i, depth)
	case c == '"':
		return scanString(data, i)
	case c == '-' || c >= '0' && c <= '9':
		return scanNumber(data, i)
	case bytes.HasPrefix(data[i:], []byte("true")):
		return i + 4, nil
	case bytes.HasPrefix(data[i:], []byte("false")):
		return i + 5, nil
	case bytes.HasPrefix(data[i:], []byte("null")):
		return i + 4, nil
	}
	return 0, errSyntax
}

func scanContainer(data []byte, i, depth int) (int, error) {
	if depth >= maxDepth {
		return 0, errTooDeep
	}
	open := data[i]
	closing := byte('}')
	if open == '[' {
		closing = ']'
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == closing {
		return i + 1, nil
	}
	for {
		var err error
		if open == '{' {
			if i >= len(data) || data[i] != '"' {
				return 0, errSyntax
			}
			if i, err = scanString(data, i); err != nil {
				return 0, err
			}
			i = skipSpace(data, i)
			if i >= len(data) || data[i] != ':' {
				return 0, errSyntax
			}
			i = skipSpace(data, i+1)
		}
		if i, err = scanValue(data, i, depth+1); err != nil {
			return 0, err
		}
		i = skipSpace(data, i)
		if i >= len(data) {
			return 0, errSyntax
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case closing:
			return i + 1, nil
		default:
			return 0, errSyntax
		}
	}
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
				if i+4 >= len(data) || !isHex4(data[i+1:i+5]) {
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

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
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

// decodeString decodes a JSON string literal (quotes included). Invalid
// UTF-8 and lone surrogates become U+FFFD, as encoding/json does.
func decodeString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	s := raw[1 : len(raw)-1]
	if bytes.IndexByte(s, '\\') < 0 {
		if utf8.Valid(s) {
			return string(s), true
		}
		return strings.ToValidUTF8(string(s), "\uFFFD"), true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", false
		}
		switch s[i] {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if i+4 >= len(s) {
				return "", false
			}
			r := hex4(s[i+1 : i+5])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
					r2 = hex4(s[i+3 : i+7])
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			b.WriteRune(r)
		default:
			b.WriteByte(s[i])
		}
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD"), true
}

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
// ±Inf, as in JavaScript.
func parseNumber(raw []byte) (float64, bool) {
	if len(raw) == 0 || !(raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}

// forEachMember calls fn with each key and raw value of a valid JSON
// object, in order.
func forEachMember(obj []byte, fn func(key string, val RawJSON)) error {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return errNotObject
	}
	i = skipSpace(obj, i+1)
	if i < len(obj) && obj[i] == '}' {
		return nil
	}
	for {
		kEnd, err := scanString(obj, i)
		if err != nil {
			return err
		}
		key, _ := decodeString(obj[i:kEnd])
		i = skipSpace(obj, skipSpace(obj, kEnd)+1) // past the colon
		vEnd, err := scanValue(obj, i, 1)
		if err != nil {
			return err
		}
		fn(key, RawJSON(obj[i:vEnd]))
		i = skipSpace(obj, vEnd)
		if obj[i] == '}' {
			return nil
		}
		i = skipSpace(obj, i+1) // past the comma
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
		end, err := scanValue(arr, i, 1)
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
// would: keys in order (a repeated key keeps its first place and last
// value), strings escaped the JavaScript way, numbers in JavaScript's
// shortest form. Go servers escape <, > and & and may write 1.0; gotrue-js
// would store them otherwise.
func writeJSValue(buf *bytes.Buffer, v []byte) {
	v = trimSpace(v)
	if len(v) == 0 {
		buf.WriteString("null")
		return
	}
	switch v[0] {
	case '{':
		o, _ := ParseObject(v)
		o.writeTo(buf)
	case '[':
		buf.WriteByte('[')
		n := 0
		forEachElement(v, func(e RawJSON) {
			if n > 0 {
				buf.WriteByte(',')
			}
			n++
			writeJSValue(buf, e)
		})
		buf.WriteByte(']')
	case '"':
		s, _ := decodeString(v)
		writeJSONString(buf, s)
	case 't', 'f', 'n':
		buf.Write(v)
	default:
		f, _ := parseNumber(v)
		buf.WriteString(jsNumber(f))
	}
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
// backslashes and control characters, so that non-ASCII text and <, >, &
// stay as they are and a saved session matches gotrue-js's byte for byte.
func writeJSONString(buf *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	buf.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			buf.WriteByte('\\')
			buf.WriteByte(c)
		case c == '\n':
			buf.WriteString(`\n`)
		case c == '\r':
			buf.WriteString(`\r`)
		case c == '\t':
			buf.WriteString(`\t`)
		case c == '\b':
			buf.WriteString(`\b`)
		case c == '\f':
			buf.WriteString(`\f`)
		case c < 0x20:
			buf.WriteString(`\u00`)
			buf.WriteByte(hex[c>>4])
			buf.WriteByte(hex[c&0xf])
		default:
			buf.WriteByte(c)
		}
	}
	buf.WriteByte('"')
}

// jsonString encodes s as a JSON string.
func jsonString(s string) RawJSON {
	var buf bytes.Buffer
	writeJSONString(&buf, s)
	return buf.Bytes()
}
