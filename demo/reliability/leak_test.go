package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// leaks is the package's one recorder: every test feeds it what the pages
// showed (console messages, exceptions, log entries, the errors the tests
// caught) and the secrets in play (every access and refresh token the
// servers issued or the tests planted, every password the tests chose).
// TestMain fails the run if any secret appears in any message.
var leaks = newRecorder()

type recorder struct {
	mu       sync.Mutex
	secrets  map[string]string   // secret → what it is
	messages map[string][]string // message text → where it was seen (first few)
	count    int                 // messages observed, duplicates included
}

func newRecorder() *recorder {
	return &recorder{secrets: map[string]string{}, messages: map[string][]string{}}
}

// secret registers a credential. Very short values are ignored: they
// would match by chance.
func (r *recorder) secret(what, s string) {
	if len(s) < 12 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.secrets[s]; !ok {
		r.secrets[s] = what
	}
}

// token registers a token and, for a JWT, its payload and signature on
// their own: a message that shows either has leaked the token even if it
// cut the rest. (The header is the same for every token: no secret.)
func (r *recorder) token(what, tok string) {
	r.secret(what, tok)
	if parts := strings.Split(tok, "."); len(parts) == 3 {
		r.secret(what+" (signature)", parts[2])
		r.secret(what+" (payload)", parts[1])
	}
}

// tokensIn registers the tokens of a JSON token response or saved session:
// access_token and refresh_token, at the top level or under "token".
func (r *recorder) tokensIn(what string, body []byte) {
	var v map[string]any
	if json.Unmarshal(body, &v) != nil {
		return
	}
	if t, ok := v["token"].(map[string]any); ok {
		v = t
	}
	for _, k := range []string{"access_token", "refresh_token"} {
		if s, ok := v[k].(string); ok {
			r.token(what+" "+k, s)
		}
	}
}

// observe records one message the page showed.
func (r *recorder) observe(where, text string) {
	if text == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.count++
	if w := r.messages[text]; len(w) < 3 {
		r.messages[text] = append(w, where)
	}
}

// matching returns the messages seen where (a prefix such as a test name)
// that contain sub.
func (r *recorder) matching(where, sub string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for text, ws := range r.messages {
		if !strings.Contains(text, sub) {
			continue
		}
		for _, w := range ws {
			if strings.HasPrefix(w, where) {
				out = append(out, text)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// check returns one line per leak, and the totals.
func (r *recorder) check() (found []string, messages, distinct, secrets int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for text, where := range r.messages {
		for s, what := range r.secrets {
			if strings.Contains(text, s) || strings.Contains(text, url.QueryEscape(s)) || strings.Contains(text, url.PathEscape(s)) {
				found = append(found, fmt.Sprintf("%s appears in a message seen in %s: %.300q", what, strings.Join(where, ", "), text))
			}
		}
	}
	sort.Strings(found)
	return found, r.count, len(r.messages), len(r.secrets)
}

// tapBinding is the page function (a CDP binding) through which the page
// hook below reports console calls and uncaught errors in full: CDP's own
// console events shorten long strings and only preview objects.
const tapBinding = "__gotrueLeakTap"

// pageHook runs first in every document of a watched tab. It wraps the
// console and listens for uncaught errors and rejections, and sends a deep
// string form of every argument (own properties, Error name, message and
// stack), without calling getters, to the binding.
const pageHook = `(() => {
  const send = (kind, text) => { try { globalThis.` + tapBinding + `(kind + '\u0000' + text); } catch {} };
  const str = (v) => { try { return typeof v === 'symbol' ? v.toString() : String(v); } catch { return '[unprintable]'; } };
  const deep = (v, depth, seen) => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return str(v);
    if (depth > 6 || seen.has(v)) return '[…]';
    seen.add(v);
    let out = '';
    try {
      if (v instanceof Error) out += v.name + ': ' + v.message + '\n' + v.stack + ' ';
      for (const k of Reflect.ownKeys(v)) {
        const d = Reflect.getOwnPropertyDescriptor(v, k);
        if (d && 'value' in d) out += str(k) + '=' + deep(d.value, depth + 1, seen) + ' ';
      }
    } catch { out += '[hostile object]'; }
    return out || str(v);
  };
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table', 'assert']) {
    const orig = console[level];
    if (typeof orig !== 'function') continue;
    console[level] = function (...args) {
      try { send('console.' + level, args.map((a) => deep(a, 0, new Set())).join(' ')); } catch {}
      return orig.apply(this, args);
    };
  }
  addEventListener('error', (e) => send('uncaught', deep(e.error !== undefined ? e.error : e.message, 0, new Set())));
  addEventListener('unhandledrejection', (e) => send('unhandledrejection', deep(e.reason, 0, new Set())));
})();`

// watch feeds everything a tab shows into leaks, labelled with the test's
// name: CDP console calls, exceptions and log entries, and the page hook's
// reports. It must run before the tab navigates.
func watch(t testing.TB, ctx context.Context) {
	t.Helper()
	where := t.Name()
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, remoteObjectText(a)...)
			}
			leaks.observe(where+" console."+string(ev.Type), strings.Join(parts, " "))
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil {
				text += " " + strings.Join(remoteObjectText(d.Exception), " ")
			}
			leaks.observe(where+" exception", text)
		case *cdplog.EventEntryAdded:
			leaks.observe(where+" log."+string(ev.Entry.Level), ev.Entry.Text+" "+ev.Entry.URL)
		case *runtime.EventBindingCalled:
			if ev.Name == tapBinding {
				kind, text, _ := strings.Cut(ev.Payload, "\x00")
				leaks.observe(where+" page "+kind, text)
			}
		}
	})
	err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		if err := runtime.AddBinding(tapBinding).Do(ctx); err != nil {
			return err
		}
		_, err := page.AddScriptToEvaluateOnNewDocument(pageHook).Do(ctx)
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
}

// remoteObjectText is what CDP says about a value: its JSON value, its
// description and the values of its preview.
func remoteObjectText(o *runtime.RemoteObject) []string {
	if o == nil {
		return nil
	}
	out := []string{string(o.Value), o.Description, string(o.UnserializableValue)}
	if o.Preview != nil {
		for _, p := range o.Preview.Properties {
			out = append(out, p.Name+"="+p.Value)
		}
	}
	return out
}

// dump writes every distinct message and where it was seen to path.
func (r *recorder) dump(path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for text, where := range r.messages {
		if len(text) > 500 {
			text = text[:500] + "…"
		}
		fmt.Fprintf(&b, "%s\t%q\n", strings.Join(where, ", "), text)
	}
	_ = os.WriteFile(path, []byte(b.String()), 0o644)
}

// redact hides every registered secret in s, for the test's own log.
func (r *recorder) redact(s string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for secret := range r.secrets {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, "‹secret›")
		}
	}
	return s
}

// messagesSeen returns the messages seen where (a prefix).
func (r *recorder) messagesSeen(where string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for text, ws := range r.messages {
		for _, w := range ws {
			if strings.HasPrefix(w, where) {
				out = append(out, text)
				break
			}
		}
	}
	return out
}
