package soak

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// worker is one simulated visitor: it signs up, confirms through the
// mailbox, logs in and out, uses its account and the admin's, asks for
// recovery and fetches the site, one request at a time.
type worker struct {
	h      *harness
	n      int
	rng    *rand.Rand
	client *gotrue.Client // its own page: its own session store
	nope   *gotrue.Client // a client whose API URL has no routes
	admin  *gotrue.User   // the seeded admin, logged in through its own page

	seq       int
	email     string // the current account; "" before the first signup
	password  string
	confirmed bool
	user      *gotrue.User // nil when logged out
	recovery  int          // 0: none asked; 1: a recovery mail is waiting; 2: used

	// signups maps every address this worker signed up to whether it
	// was confirmed, for the final check of the server's state.
	signups map[string]bool
}

const (
	recoveryNone = iota
	recoveryMailed
	recoveryUsed
)

func newWorker(h *harness, n int) *worker {
	return &worker{
		h:       h,
		n:       n,
		rng:     rand.New(rand.NewPCG(uint64(n), 0x50a4)), // a fixed mix per worker
		client:  h.newClient(h.api),
		nope:    h.newClient(h.api + "/no-such-route"),
		signups: map[string]bool{},
	}
}

// run takes steps until the request budget is spent, ctx ends or the
// step count runs out (every step sends at least one request, so the
// count is only a backstop).
func (w *worker) run(ctx context.Context, maxSteps int) {
	for i := 0; i < maxSteps && w.h.more() && ctx.Err() == nil; i++ {
		w.step(ctx)
	}
}

// expect records the outcome of op; kinds are the outcomes it may have
// (kindOf's names). It reports whether the outcome was "ok".
func (w *worker) expect(op string, err error, kinds ...string) bool {
	kind := kindOf(err)
	if len(kinds) == 0 {
		kinds = []string{"ok"}
	}
	detail := ""
	if err != nil {
		detail = err.Error()
	}
	w.h.tally.add(op, kind, slices.Contains(kinds, kind), detail)
	return kind == "ok"
}

// wrong records an answer that came back fine but says the wrong thing.
func (w *worker) wrong(op, format string, args ...any) {
	w.h.tally.add(op, "wrong-answer", false, fmt.Sprintf(format, args...))
}

func (w *worker) step(ctx context.Context) {
	switch {
	case w.email == "":
		w.signup(ctx)
	case !w.confirmed:
		w.confirm(ctx)
	case w.user == nil:
		if w.rng.IntN(4) == 0 {
			w.loginWrong(ctx)
		} else {
			w.login(ctx)
		}
	default:
		w.loggedIn(ctx, w.rng.IntN(100))
	}
}

// loggedIn picks one of the things a logged-in visitor does; r is 0–99.
func (w *worker) loggedIn(ctx context.Context, r int) {
	switch {
	case r < 10:
		w.getUserData(ctx)
	case r < 18:
		w.update(ctx)
	case r < 28:
		w.refresh(ctx)
	case r < 34:
		w.settings(ctx)
	case r < 40:
		w.loginWrong(ctx)
	case r < 46:
		w.requestRecovery(ctx)
	case r < 50:
		w.recoverWithMail(ctx)
	case r < 56:
		w.adminList(ctx)
	case r < 61:
		w.adminGet(ctx)
	case r < 67:
		w.unknownPaths(ctx)
	case r < 77:
		w.static(ctx)
	case r < 81:
		w.mailbox(ctx)
	case r < 86:
		w.validate(ctx)
	case r < 94:
		w.logout(ctx)
	default:
		// A new account on the same page; the old session is simply
		// replaced by the next confirmation, as a visitor who signs up
		// again would do.
		w.email, w.user = "", nil
	}
}

func (w *worker) signup(ctx context.Context) {
	w.seq++
	email := fmt.Sprintf("soak-%02d-%05d@example.com", w.n, w.seq)
	password := fmt.Sprintf("pw %02d-%05d &=+", w.n, w.seq) // characters the form encoding must escape
	data := gotrue.MustObject(map[string]any{"full_name": fmt.Sprintf("Soak %d/%d", w.n, w.seq)})
	d, err := w.client.Signup(ctx, email, password, data)
	if !w.expect("signup", err) {
		return
	}
	if d.Email != email || d.ConfirmationSentAt.IsZero() {
		w.wrong("signup", "answer for %s: %s", email, d.Raw)
	}
	w.email, w.password, w.confirmed, w.user, w.recovery = email, password, false, nil, recoveryNone
	w.signups[email] = false
}

// mailToken finds the newest mail of kind to the current address, half
// the time through /mailbox as the demo page does, half the time through
// the server's Go API as a Go test would.
func (w *worker) mailToken(ctx context.Context, kind string) (string, bool) {
	if w.rng.IntN(2) == 0 {
		m, ok := w.h.identity.LastMail(w.email, kind)
		if !ok {
			w.wrong("mail", "no %s mail to %s", kind, w.email)
		}
		return m.Token, ok
	}
	q := url.Values{"to": {w.email}, "kind": {kind}}
	r, err := w.h.raw(ctx, "GET", devserver.MailboxPath+"?"+q.Encode())
	if !w.expect("mailbox-get", err) {
		return "", false
	}
	var mails []gotruetest.Mail
	if r.status != 200 || json.Unmarshal(r.body, &mails) != nil || len(mails) == 0 {
		w.wrong("mailbox-get", "%d for %s mail to %s: %.200s", r.status, kind, w.email, r.body)
		return "", false
	}
	return mails[len(mails)-1].Token, true
}

func (w *worker) confirm(ctx context.Context) {
	token, ok := w.mailToken(ctx, gotruetest.KindConfirmation)
	if !ok {
		w.email = "" // start over with a new account rather than loop
		return
	}
	u, err := w.client.Confirm(ctx, token, w.rng.IntN(2) == 0)
	if !w.expect("confirm", err) {
		w.email = ""
		return
	}
	if u.Email() != w.email || u.Field("confirmed_at") == "" {
		w.wrong("confirm", "confirmed %s as %s", w.email, u.Email())
	}
	w.confirmed, w.user = true, u
	w.signups[w.email] = true
}

func (w *worker) login(ctx context.Context) {
	u, err := w.client.Login(ctx, w.email, w.password, w.rng.IntN(2) == 0)
	if !w.expect("login", err) {
		return
	}
	if u.Email() != w.email {
		w.wrong("login", "logged in %s as %s", w.email, u.Email())
	}
	w.user = u
}

// loginWrong must fail with invalid_grant and leave the session alone.
func (w *worker) loginWrong(ctx context.Context) {
	_, err := w.client.Login(ctx, w.email, w.password+"-wrong", false)
	w.expect("login-wrong", err, "400 invalid_grant")
	if cur := w.client.CurrentUser(); cur != w.user {
		w.wrong("login-wrong", "a failed login changed the current user of %s", w.email)
		w.user = cur
	}
}

func (w *worker) getUserData(ctx context.Context) {
	if w.expect("get-user", w.user.GetUserData(ctx)) && w.user.Email() != w.email {
		w.wrong("get-user", "%s read back as %s", w.email, w.user.Email())
	}
}

func (w *worker) update(ctx context.Context) {
	var attrs gotrue.Object
	attrs.Set("data", gotrue.RawJSON(fmt.Sprintf(`{"step":%d}`, w.seq)))
	if !w.expect("update", w.user.Update(ctx, attrs)) {
		return
	}
	if md, _ := w.user.Fields().Get("user_metadata"); !bytes.Contains(md, fmt.Appendf(nil, `"step":%d`, w.seq)) {
		w.wrong("update", "user_metadata of %s after update: %s", w.email, md)
	}
}

// refresh is jwt(true): one refresh request, a new rotated token.
func (w *worker) refresh(ctx context.Context) {
	old := w.user.Token()
	jwt, err := w.user.JWT(ctx, true)
	if !w.expect("jwt-refresh", err) {
		return
	}
	tok := w.user.Token()
	if jwt == "" || tok == nil || tok.AccessToken() != jwt || tok.RefreshToken() == old.RefreshToken() {
		w.wrong("jwt-refresh", "the token of %s did not rotate", w.email)
	}
}

func (w *worker) settings(ctx context.Context) {
	raw, err := w.client.Settings(ctx)
	if w.expect("settings", err) && !bytes.Contains(raw, []byte(`"external"`)) {
		w.wrong("settings", "%.200s", raw)
	}
}

// requestRecovery: the first request for an address mails a link, every
// later one within the mail interval (15 minutes, longer than any run) is
// rate limited. An unknown address gets the same {} as a known one.
func (w *worker) requestRecovery(ctx context.Context) {
	if w.rng.IntN(4) == 0 {
		w.seq++
		_, err := w.client.RequestPasswordRecovery(ctx, fmt.Sprintf("nobody-%02d-%05d@example.com", w.n, w.seq))
		w.expect("recover-unknown", err)
		return
	}
	_, err := w.client.RequestPasswordRecovery(ctx, w.email)
	if w.recovery == recoveryNone {
		if w.expect("recover-request", err) {
			w.recovery = recoveryMailed
		}
		return
	}
	w.expect("recover-request", err, "429")
}

// recoverWithMail logs in with the recovery mail's token and sets a new
// password, as the widget's recovery form does.
func (w *worker) recoverWithMail(ctx context.Context) {
	if w.recovery != recoveryMailed {
		w.requestRecovery(ctx)
		return
	}
	token, ok := w.mailToken(ctx, gotruetest.KindRecovery)
	if !ok {
		return
	}
	w.recovery = recoveryUsed
	u, err := w.client.Recover(ctx, token, w.rng.IntN(2) == 0)
	if !w.expect("recover", err) {
		return
	}
	w.user = u
	password := w.password + "-new"
	var attrs gotrue.Object
	attrs.SetString("password", password)
	if w.expect("update-password", u.Update(ctx, attrs)) {
		w.password = password
	}
}

// adminUser logs the seeded admin in on the worker's own admin page once.
func (w *worker) adminUser(ctx context.Context) *gotrue.User {
	if w.admin == nil {
		c := w.h.newClient(w.h.api)
		u, err := c.Login(ctx, devserver.AdminEmail, devserver.AdminPassword, false)
		if !w.expect("admin-login", err) {
			return nil
		}
		w.admin = u
	}
	return w.admin
}

func (w *worker) adminList(ctx context.Context) {
	a := w.adminUser(ctx)
	if a == nil {
		return
	}
	page, err := a.Admin().ListUsers(ctx, gotrue.ListUsersOptions{})
	if !w.expect("admin-list", err) {
		return
	}
	if len(page.Users) == 0 {
		w.wrong("admin-list", "%.200s", page.JSON)
	}
}

func (w *worker) adminGet(ctx context.Context) {
	a := w.adminUser(ctx)
	if a == nil {
		return
	}
	d, err := a.Admin().GetUser(ctx, w.user.ID())
	if !w.expect("admin-get", err) {
		return
	}
	if d.Email != w.email {
		w.wrong("admin-get", "%s: %.200s", w.email, d.Raw)
	}
}

// unknownPaths: the API's own 404 through the client, the site's 404, and
// user routes without or with a garbage bearer.
func (w *worker) unknownPaths(ctx context.Context) {
	switch w.rng.IntN(4) {
	case 0:
		_, err := w.nope.Settings(ctx)
		w.expect("api-unknown", err, "404 text")
	case 1:
		w.rawStatus(ctx, "site-unknown", 404, "/no-such-page.html")
	case 2:
		w.rawStatus(ctx, "user-no-bearer", 401, devserver.IdentityPath+"/user")
	default:
		w.rawStatus(ctx, "user-bad-bearer", 401, devserver.IdentityPath+"/user", "Authorization", "Bearer not.a.jwt")
	}
}

// rawStatus sends a GET outside the client core; its outcome is the
// status, expected to be want.
func (w *worker) rawStatus(ctx context.Context, op string, want int, path string, headers ...string) rawReply {
	r, err := w.h.raw(ctx, "GET", path, headers...)
	if err != nil {
		w.expect(op, err)
		return r
	}
	w.h.tally.add(op, strconv.Itoa(r.status), r.status == want, "GET "+path)
	return r
}

// static fetches the page and the wasm as a browser would, in each
// encoding the server offers.
func (w *worker) static(ctx context.Context) {
	switch w.rng.IntN(5) {
	case 0:
		r := w.rawStatus(ctx, "static-index", 200, "/")
		if r.status == 200 && !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			w.wrong("static-index", "Content-Type %q", r.header.Get("Content-Type"))
		}
	case 1:
		w.rawStatus(ctx, "static-loader", 200, devserver.JSPath+"gotrue.mjs")
	case 2:
		r := w.rawStatus(ctx, "static-wasm-br", 200, devserver.JSPath+"gotrue.wasm", "Accept-Encoding", "gzip, deflate, br, zstd")
		if r.status == 200 && (r.header.Get("Content-Encoding") != "br" || string(r.body) != fakeBrotli) {
			w.wrong("static-wasm-br", "Content-Encoding %q, %d bytes", r.header.Get("Content-Encoding"), len(r.body))
		}
	case 3:
		r := w.rawStatus(ctx, "static-wasm-gzip", 200, devserver.JSPath+"gotrue.wasm", "Accept-Encoding", "gzip")
		if r.status == 200 && (r.header.Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzip(r.body), fakeWasm)) {
			w.wrong("static-wasm-gzip", "Content-Encoding %q, %d bytes", r.header.Get("Content-Encoding"), len(r.body))
		}
	default:
		r := w.rawStatus(ctx, "static-wasm-identity", 200, devserver.JSPath+"gotrue.wasm", "Accept-Encoding", "identity")
		if r.status == 200 && (r.header.Get("Content-Encoding") != "" || !bytes.Equal(r.body, fakeWasm)) {
			w.wrong("static-wasm-identity", "Content-Encoding %q, %d bytes", r.header.Get("Content-Encoding"), len(r.body))
		}
	}
}

func gunzip(b []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	out, _ := io.ReadAll(io.LimitReader(zr, 1<<20))
	return out
}

// mailbox lists the current address's mails: exactly one confirmation.
func (w *worker) mailbox(ctx context.Context) {
	r := w.rawStatus(ctx, "mailbox-list", 200, devserver.MailboxPath+"?to="+url.QueryEscape(w.email))
	if r.status != 200 {
		return
	}
	var mails []gotruetest.Mail
	if err := json.Unmarshal(r.body, &mails); err != nil {
		w.wrong("mailbox-list", "%v", err)
		return
	}
	n := 0
	for _, m := range mails {
		if m.Kind == gotruetest.KindConfirmation {
			n++
		}
	}
	if n != 1 {
		w.wrong("mailbox-list", "%d confirmation mails to %s", n, w.email)
	}
}

func (w *worker) validate(ctx context.Context) {
	u, err := w.client.ValidateCurrentSession(ctx)
	if w.expect("validate", err) && u != w.user {
		w.wrong("validate", "the session of %s changed", w.email)
		w.user = u
	}
}

func (w *worker) logout(ctx context.Context) {
	w.expect("logout", w.user.Logout(ctx))
	w.user = nil
	if w.client.CurrentUser() != nil {
		w.wrong("logout", "%s still has a current user", w.email)
	}
}
