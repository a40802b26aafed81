package gotrue

import (
	"bytes"
	"errors"
)

// Object is a JSON object that remembers the order of its keys, as a
// JavaScript object does. The session saved in storage must keep the key
// order of the server's answers for gotrue-js to read it back unchanged.
// The zero value is an empty object.
type Object struct {
	keys []string
	vals map[string]RawJSON
}

var errNotObject = errors.New("gotrue: expected a JSON object")

// ParseObject decodes a JSON object. Anything else, including null, is an
// error. A repeated key keeps its first position and its last value, as
// JSON.parse does.
func ParseObject(data []byte) (Object, error) {
	var o Object
	raw, err := scanAll(data)
	if err != nil {
		return o, err
	}
	err = forEachMember(raw, func(k string, v RawJSON) { o.Set(k, v) })
	return o, err
}

// Len is the number of keys.
func (o Object) Len() int { return len(o.keys) }

// Keys returns the keys in order.
func (o Object) Keys() []string { return append([]string(nil), o.keys...) }

// Get returns the raw JSON value of key.
func (o Object) Get(key string) (RawJSON, bool) {
	v, ok := o.vals[key]
	return v, ok
}

// String returns the value of key when it is a JSON string, else "".
func (o Object) String(key string) string {
	s, _ := decodeString(o.vals[key])
	return s
}

// Number returns the value of key when it is a JSON number, or a string
// holding one (an OAuth callback's token arrives as strings).
func (o Object) Number(key string) (float64, bool) {
	v := o.vals[key]
	if s, ok := decodeString(v); ok {
		v = RawJSON(s)
	}
	return parseNumber(v)
}

// Set adds key at the end, or replaces its value where it stands. raw must
// be valid JSON.
func (o *Object) Set(key string, raw RawJSON) {
	if o.vals == nil {
		o.vals = make(map[string]RawJSON)
	}
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = append(RawJSON(nil), raw...)
}

// SetString sets key to the JSON string s.
func (o *Object) SetString(key, s string) { o.Set(key, jsonString(s)) }

// Delete removes key.
func (o *Object) Delete(key string) {
	if _, ok := o.vals[key]; !ok {
		return
	}
	delete(o.vals, key)
	for i, k := range o.keys {
		if k == key {
			o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
			break
		}
	}
}

// Clone returns a copy that shares nothing with o.
func (o Object) Clone() Object {
	var c Object
	for _, k := range o.keys {
		c.Set(k, o.vals[k])
	}
	return c
}

// MarshalJSON writes the keys in order, as JSON.stringify does.
func (o Object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	o.writeTo(&buf)
	return buf.Bytes(), nil
}

// Bytes is MarshalJSON without the error, which never happens.
func (o Object) Bytes() []byte {
	b, _ := o.MarshalJSON()
	return b
}

func (o Object) writeTo(buf *bytes.Buffer) {
	buf.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeJSONString(buf, k)
		buf.WriteByte(':')
		writeJSValue(buf, o.vals[k])
	}
	buf.WriteByte('}')
}

// UnmarshalJSON is ParseObject.
func (o *Object) UnmarshalJSON(data []byte) error {
	p, err := ParseObject(data)
	if err != nil {
		return err
	}
	*o = p
	return nil
}
