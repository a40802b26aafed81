package gotrue

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
)

// HTTPError is an answer with a status outside 200–299, as gotrue-js's
// HTTPError. Message starts as the status text and is rewritten from the
// answer's JSON (see JSONHTTPError).
type HTTPError struct {
	Status     int
	StatusText string
	Message    string
}

func (e *HTTPError) Error() string { return e.Message }

// TextHTTPError is an HTTPError whose answer was not JSON; Data is its body.
type TextHTTPError struct {
	HTTPError
	Data string
}

// As lets errors.As find the embedded *HTTPError.
func (e *TextHTTPError) As(target any) bool { return asHTTPError(&e.HTTPError, target) }

// JSONHTTPError is an HTTPError whose answer was JSON; JSON is the raw body.
type JSONHTTPError struct {
	HTTPError
	JSON RawJSON
}

// As lets errors.As find the embedded *HTTPError.
func (e *JSONHTTPError) As(target any) bool { return asHTTPError(&e.HTTPError, target) }

func asHTTPError(e *HTTPError, target any) bool {
	if p, ok := target.(**HTTPError); ok {
		*p = e
		return true
	}
	return false
}

// ErrNoToken is returned by JWT and every user request when the user has
// no token (after logout or a rejected refresh).
var ErrNoToken = errors.New("gotrue: the user is logged out (no access token)")

// InvalidAnswerError is an answer that says it is JSON but is not, or is
// JSON of the wrong shape (a user that is not an object, a token response
// without an access token). gotrue-js would throw a SyntaxError or go on
// with broken data; we stop with this error and change nothing.
type InvalidAnswerError struct {
	Status int
	Reason string
}

// errTooLarge is an answer longer than limit, the bytes the client accepts.
func errTooLarge(status, limit int) error {
	size := strconv.Itoa(limit) + " bytes"
	if limit%(1<<20) == 0 {
		size = strconv.Itoa(limit>>20) + " MiB"
	}
	return &InvalidAnswerError{Status: status, Reason: "the body is larger than the " + size + " the client accepts"}
}

func (e *InvalidAnswerError) Error() string {
	return "gotrue: invalid answer from the server (status " + strconv.Itoa(e.Status) + "): " + e.Reason
}

// checkResponse turns an answer into its value or a typed error, as
// gotrue-js's API.request does: a Content-Type containing "json" is parsed,
// anything else is text.
func checkResponse(resp *Response) (RawJSON, error) {
	ok := resp.Status >= 200 && resp.Status <= 299
	base := HTTPError{Status: resp.Status, StatusText: resp.StatusText, Message: resp.StatusText}
	if strings.Contains(resp.ContentType(), "json") {
		if !validJSON(resp.Body) {
			if !ok {
				// Keep the status and the body: a clearer error than the
				// SyntaxError gotrue-js throws here.
				return nil, &TextHTTPError{HTTPError: base, Data: string(resp.Body)}
			}
			return nil, &InvalidAnswerError{Status: resp.Status, Reason: "the body is not valid JSON"}
		}
		if !ok {
			return nil, &JSONHTTPError{HTTPError: base, JSON: append(RawJSON(nil), resp.Body...)}
		}
		return resp.Body, nil
	}
	if !ok {
		return nil, &TextHTTPError{HTTPError: base, Data: string(resp.Body)}
	}
	var buf bytes.Buffer
	writeJSONString(&buf, browserText(resp.Body))
	return buf.Bytes(), nil
}

// rewriteMessage gives a JSON error the message gotrue-js shows: json.msg
// when it is truthy, else "error: error_description". It returns a copy so
// that an error shared between the waiters of one refresh is never changed.
func rewriteMessage(err error) error {
	je, ok := errors.AsType[*JSONHTTPError](err)
	if !ok {
		return err
	}
	obj, perr := ParseObject(je.JSON)
	if perr != nil {
		return err
	}
	msg := ""
	if raw, ok := obj.Get("msg"); ok && jsTruthy(raw) {
		msg = jsText(raw)
	} else if raw, ok := obj.Get("error"); ok && jsTruthy(raw) {
		desc, _ := obj.Get("error_description")
		msg = jsText(raw) + ": " + jsText(desc)
	} else {
		return err
	}
	c := *je
	c.Message = msg
	return &c
}

// jsTruthy is JavaScript's truthiness of a JSON value.
func jsTruthy(raw RawJSON) bool {
	switch s := string(raw); s {
	case "", "null", "false", `""`:
		return false
	default:
		if f, ok := parseNumber(raw); ok {
			return f != 0
		}
		return true
	}
}

// jsText is what a JavaScript template literal makes of a JSON value:
// strings as they are, a missing value as "undefined".
func jsText(raw RawJSON) string {
	if raw == nil {
		return "undefined"
	}
	if s, ok := decodeString(raw); ok {
		return s
	}
	switch raw[0] {
	case '{':
		return "[object Object]"
	case '[':
		var b strings.Builder
		writeArrayText(&b, raw)
		return b.String()
	}
	if f, ok := parseNumber(raw); ok {
		return jsNumber(f)
	}
	return string(raw)
}

// writeArrayText writes what String() makes of the valid JSON array v,
// in one pass however deep it is: Array.prototype.join's commas at every
// depth, each element's text, null and [] as nothing.
func writeArrayText(b *strings.Builder, v []byte) {
	for i := 0; i < len(v); {
		var end int
		switch c := v[i]; c {
		case '[', ']', ' ', '\t', '\n', '\r':
			i++
			continue
		case ',':
			b.WriteByte(',')
			i++
			continue
		case '{':
			end, _ = scanValue(v, i, nil)
			b.WriteString("[object Object]")
		case '"':
			end, _ = scanString(v, i)
			s, _ := decodeString(v[i:end])
			b.WriteString(s)
		case 'n':
			end = i + len("null")
		case 't', 'f':
			end = i + len("true")
			if c == 'f' {
				end = i + len("false")
			}
			b.Write(v[i:end])
		default:
			end, _ = scanNumber(v, i)
			f, _ := parseNumber(v[i:end])
			b.WriteString(jsNumber(f))
		}
		if end <= i {
			return // not valid JSON after all: stop rather than loop
		}
		i = end
	}
}

// isRejection reports whether err is the server refusing the request (a
// 4xx answer), as opposed to a network failure, a timeout or a 5xx. A 408
// (timeout) or 429 (rate limit) says nothing about the token: not one.
func isRejection(err error) bool {
	he, ok := errors.AsType[*HTTPError](err)
	return ok && he.Status >= 400 && he.Status <= 499 && he.Status != 408 && he.Status != 429
}

// ErrTimeout is a request the server did not answer in time (the
// client's timeout, or the caller's context deadline).
var ErrTimeout = errors.New("gotrue: the server did not answer in time")

// timeoutError is a more particular timeout: errors.Is(err, ErrTimeout)
// holds for it.
type timeoutError struct{ msg string }

func (e *timeoutError) Error() string        { return e.msg }
func (e *timeoutError) Is(target error) bool { return target == ErrTimeout }
