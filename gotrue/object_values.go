package gotrue

import (
	"bytes"
	"errors"
	"math"
	"strconv"

	"github.com/gotrue-wasm/gotrue-wasm/internal/keys"
)

// NewObject builds an Object from Go values, for user data and attributes:
// m's keys in sorted order (a Go map has none), each value encoded as
// JSON. The values may be nil, bool, string, any integer or float type,
// RawJSON, Object, map[string]any, []any, []string, or anything with a
// MarshalJSON method (such as time.Time); others, NaN and infinities are
// an error.
func NewObject(m map[string]any) (Object, error) {
	var o Object
	var buf bytes.Buffer
	for _, k := range keys.Sorted(m) {
		buf.Reset()
		if err := encodeValue(&buf, m[k], 0); err != nil {
			return Object{}, errors.New("gotrue: the value of " + strconv.Quote(k) + ": " + err.Error())
		}
		o.put(k, append(RawJSON(nil), buf.Bytes()...))
	}
	return o, nil
}

// MustObject is NewObject for values known to encode, such as literals in
// a program; it panics on an error.
func MustObject(m map[string]any) Object {
	o, err := NewObject(m)
	if err != nil {
		panic(err)
	}
	return o
}

var errUnsupportedValue = errors.New("unsupported type (use RawJSON, or a type with a MarshalJSON method)")

// encodeValue writes v as JSON. depth bounds the nesting of maps and
// slices, as the scanner's maxDepth bounds what it reads.
func encodeValue(buf *bytes.Buffer, v any, depth int) error {
	if depth > maxDepth {
		return errTooDeep
	}
	switch v := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		buf.WriteString(strconv.FormatBool(v))
	case string:
		writeJSONString(buf, []byte(v))
	case int:
		buf.WriteString(strconv.FormatInt(int64(v), 10))
	case int8:
		buf.WriteString(strconv.FormatInt(int64(v), 10))
	case int16:
		buf.WriteString(strconv.FormatInt(int64(v), 10))
	case int32:
		buf.WriteString(strconv.FormatInt(int64(v), 10))
	case int64:
		buf.WriteString(strconv.FormatInt(v, 10))
	case uint:
		buf.WriteString(strconv.FormatUint(uint64(v), 10))
	case uint8:
		buf.WriteString(strconv.FormatUint(uint64(v), 10))
	case uint16:
		buf.WriteString(strconv.FormatUint(uint64(v), 10))
	case uint32:
		buf.WriteString(strconv.FormatUint(uint64(v), 10))
	case uint64:
		buf.WriteString(strconv.FormatUint(v, 10))
	case float32:
		return encodeFloat(buf, float64(v))
	case float64:
		return encodeFloat(buf, v)
	case RawJSON:
		raw, err := scanAll(v)
		if err != nil {
			return err
		}
		buf.Write(raw)
	case Object:
		v.writeTo(buf)
	case map[string]any:
		o, err := NewObject(v)
		if err != nil {
			return err
		}
		o.writeTo(buf)
	case []any:
		buf.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeValue(buf, e, depth+1); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case []string:
		buf.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSONString(buf, []byte(e))
		}
		buf.WriteByte(']')
	case interface{ MarshalJSON() ([]byte, error) }:
		b, err := v.MarshalJSON()
		if err != nil {
			return err
		}
		raw, err := scanAll(b)
		if err != nil {
			return errors.New("MarshalJSON returned invalid JSON")
		}
		buf.Write(raw)
	default:
		return errUnsupportedValue
	}
	return nil
}

func encodeFloat(buf *bytes.Buffer, f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return errors.New("NaN and infinities have no JSON form")
	}
	buf.WriteString(jsNumber(f))
	return nil
}
