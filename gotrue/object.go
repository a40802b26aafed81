package gotrue

import (
	"bytes"
	"errors"
	"strconv"
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
// JSON.parse does. Keys are decoded as decodeString says.
func ParseObject(data []byte) (Object, error) {
	var o Object
	raw, err := scanAll(data)
	if err != nil {
		return o, err
	}
	if raw[0] != '{' {
		return o, errNotObject
	}
	var text []byte
	walkMembers(raw, 0, func(key []byte, val int) int {
		end, _ := scanValue(raw, val, nil)
		o.put(string(stringText(&text, key)), raw[val:end])
		return end
	})
	return o, nil
}

// Len is the number of keys.
func (o Object) Len() int { return len(o.keys) }

// Keys returns the keys in the order JavaScript lists them: array indices
// ("0", "42", not "01" or "-1") ascending first, then the others in the
// order they were added.
func (o Object) Keys() []string { return append([]string(nil), o.ordered()...) }

// ordered is the keys in JavaScript's order.
func (o Object) ordered() []string {
	i := 0
	for i < len(o.keys) && keyOrder(o.keys[i]) == otherKey {
		i++
	}
	if i == len(o.keys) {
		return o.keys
	}
	ms := make([]member, len(o.keys))
	for i, k := range o.keys {
		ms[i] = member{key: k, order: keyOrder(k)}
	}
	jsOrder(ms)
	keys := make([]string, len(ms))
	for i, m := range ms {
		keys[i] = m.key
	}
	return keys
}

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

// Set adds key at the end, or replaces its value where it stands (Keys
// puts array indices first, as JavaScript does). raw must be exactly one
// JSON value; otherwise Set returns an error and changes nothing.
func (o *Object) Set(key string, raw RawJSON) error {
	v, err := scanAll(raw)
	if err != nil {
		return errors.New("gotrue: the value of " + strconv.Quote(key) + " is not valid JSON")
	}
	o.put(key, v)
	return nil
}

// put is Set for a value known to be valid JSON.
func (o *Object) put(key string, raw RawJSON) {
	if o.vals == nil {
		o.vals = make(map[string]RawJSON)
	}
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = append(RawJSON(nil), raw...)
}

// SetString sets key to the JSON string s.
func (o *Object) SetString(key, s string) { o.put(key, jsonString(s)) }

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
		c.put(k, o.vals[k])
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

// writeTo writes the object as JSON.stringify does, in one pass over each
// value, with one encoder for all of them.
func (o Object) writeTo(buf *bytes.Buffer) {
	e := encoder{buf: buf}
	buf.WriteByte('{')
	for i, k := range o.ordered() {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeJSONString(buf, []byte(k))
		buf.WriteByte(':')
		e.write(o.vals[k])
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
