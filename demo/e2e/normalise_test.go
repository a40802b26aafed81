package e2e

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// normaliser rewrites what differs between two runs of one scenario by
// nature (ids, times, tokens, the site's port) into stable placeholders,
// so that what is left differs only when the clients behave differently.
//
// Every distinct token gets its own numbered placeholder in order of first
// appearance (<access_token#1>, <refresh_token#2>, <confirmation_token#1>),
// so that the same token in two places still reads the same, and a client
// that sends an old token where the other sends the new one shows up.
// After normalising, no secret is left, so a transcript may be printed.
type normaliser struct {
	site   string
	kinds  map[string]string // secret → kind ("refresh_token", "invite_token", …)
	names  map[string]string // secret or id → placeholder
	counts map[string]int    // kind → placeholders handed out
	re     *regexp.Regexp
}

var (
	jwtPattern  = `eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`
	uuidPattern = `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`
	timePattern = `\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})`
	jwtRe       = regexp.MustCompile(`^` + jwtPattern + `$`)
	uuidRe      = regexp.MustCompile(`^` + uuidPattern + `$`)
	timeRe      = regexp.MustCompile(`^` + timePattern + `$`)
	formTokenRe = regexp.MustCompile(`refresh_token=([A-Za-z0-9_-]+)`)
	stateRe     = regexp.MustCompile(`[?&]state=([A-Za-z0-9_-]+)`)
)

// normalise returns a normalised copy of a run's transcript. site is the
// run's origin; mails are the server's mails, whose tokens are named after
// their kind.
func normalise(v any, site string, mails []gotruetest.Mail) any {
	n := &normaliser{site: site, kinds: map[string]string{}, names: map[string]string{}, counts: map[string]int{}}
	for _, m := range mails {
		n.kinds[m.Token] = m.Kind + "_token"
	}
	v = parseSaved(v)
	n.expiries(v)
	n.learn(v)
	n.compile()
	return n.replace(v)
}

// parseSaved decodes each step's "storage" (the gotrue.user entry, a
// JSON string), and any other string holding a JSON object (a saved
// session a script writes back), so that their fields are normalised and
// compared one by one. Other strings become {"JSON text": value}, so that
// they still differ from an object.
func parseSaved(v any) any {
	switch t := v.(type) {
	case *object:
		for _, k := range t.keys {
			if s, ok := t.vals[k].(string); ok && k == "storage" {
				if parsed, err := decodeOrdered([]byte(s)); err == nil {
					t.vals[k] = parsed
					continue
				}
			}
			t.vals[k] = parseSaved(t.vals[k])
		}
	case []any:
		for i := range t {
			t[i] = parseSaved(t[i])
		}
	case string:
		if strings.HasPrefix(t, "{") {
			if parsed, err := decodeOrdered([]byte(t)); err == nil {
				o := newObject()
				o.set("JSON text", parsed)
				return o
			}
		}
	}
	return v
}

// expiries replaces each token's expires_at with whether it is the access
// token's exp claim × 1000, as the contract says; the number itself
// depends on the clock.
func (n *normaliser) expiries(v any) {
	walk(v, func(o *object) {
		at, ok := o.vals["expires_at"].(json.Number)
		if !ok {
			return
		}
		jwt, _ := o.vals["access_token"].(string)
		exp, ok := jwtExp(jwt)
		switch {
		case !ok:
			o.vals["expires_at"] = "<expires_at without a readable access_token>"
		case string(at) == strconv.FormatInt(exp*1000, 10):
			o.vals["expires_at"] = "<exp×1000>"
		default:
			o.vals["expires_at"] = "<expires_at ≠ exp×1000>"
		}
	})
}

// jwtPayload decodes the claims part of a JWT, without verifying it.
func jwtPayload(jwt string) ([]byte, bool) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return nil, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	return payload, err == nil
}

// jwtExp reads the exp claim of a JWT.
func jwtExp(jwt string) (int64, bool) {
	payload, ok := jwtPayload(jwt)
	if !ok {
		return 0, false
	}
	var claims struct {
		Exp int64 `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp == 0 {
		return 0, false
	}
	return claims.Exp, true
}

// learn finds the secrets that have no recognisable shape of their own:
// refresh tokens, by the key or form field that carries them, and the
// fake provider's OAuth state.
func (n *normaliser) learn(v any) {
	walk(v, func(o *object) {
		if s, ok := o.vals["refresh_token"].(string); ok && s != "" {
			n.remember(s, "refresh_token")
		}
	})
	walkStrings(v, func(s string) {
		for _, m := range formTokenRe.FindAllStringSubmatch(s, -1) {
			n.remember(m[1], "refresh_token")
		}
		for _, m := range stateRe.FindAllStringSubmatch(s, -1) {
			n.remember(m[1], "oauth_state")
		}
	})
}

// minSecret keeps short literals of the scripts ("x") from being taken
// for secrets; the server's tokens are 22 characters or more.
const minSecret = 16

func (n *normaliser) remember(secret, kind string) {
	if _, ok := n.kinds[secret]; !ok && len(secret) >= minSecret {
		n.kinds[secret] = kind
	}
}

// compile builds one pattern for everything to replace: known secrets
// (longest first), JWTs, UUIDs, RFC 3339 times and the site's origin.
func (n *normaliser) compile() {
	var alts []string
	secrets := make([]string, 0, len(n.kinds))
	for s := range n.kinds {
		secrets = append(secrets, s)
	}
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	for _, s := range secrets {
		alts = append(alts, regexp.QuoteMeta(s))
	}
	alts = append(alts, jwtPattern, uuidPattern, timePattern)
	if n.site != "" {
		alts = append(alts, regexp.QuoteMeta(n.site))
	}
	n.re = regexp.MustCompile(strings.Join(alts, "|"))
}

// replace returns v with every string rewritten, walking in document
// order so that numbering follows first appearance.
func (n *normaliser) replace(v any) any {
	switch t := v.(type) {
	case *object:
		o := newObject()
		for _, k := range t.keys {
			o.set(k, n.replace(t.vals[k]))
		}
		return o
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = n.replace(e)
		}
		return out
	case string:
		return n.re.ReplaceAllStringFunc(t, n.placeholder)
	default:
		return v
	}
}

func (n *normaliser) placeholder(s string) string {
	switch {
	case s == n.site:
		return "<site>"
	case timeRe.MatchString(s):
		return "<time>"
	}
	if p, ok := n.names[s]; ok {
		return p
	}
	kind := n.kinds[s]
	switch {
	case kind != "":
	case jwtRe.MatchString(s):
		kind = "access_token"
	case uuidRe.MatchString(s):
		kind = "id"
	default:
		kind = "secret"
	}
	n.counts[kind]++
	p := "<" + kind + "#" + strconv.Itoa(n.counts[kind]) + ">"
	n.names[s] = p
	return p
}

// walk calls f on every object in v, parents first.
func walk(v any, f func(*object)) {
	switch t := v.(type) {
	case *object:
		f(t)
		for _, k := range t.keys {
			walk(t.vals[k], f)
		}
	case []any:
		for _, e := range t {
			walk(e, f)
		}
	}
}

// walkStrings calls f on every string value in v.
func walkStrings(v any, f func(string)) {
	switch t := v.(type) {
	case *object:
		for _, k := range t.keys {
			walkStrings(t.vals[k], f)
		}
	case []any:
		for _, e := range t {
			walkStrings(e, f)
		}
	case string:
		f(t)
	}
}
