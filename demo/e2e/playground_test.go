package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// The playground (demo/site) driven the way a visitor does: typing into
// its cards and clicking their buttons, then reading what the page shows.
// What the tests read back is redacted by the page (tokens cut to 8
// characters) or compared here without being printed.

// playground is one tab on the demo page.
type playground struct {
	t   *testing.T
	s   *site
	tab context.Context

	mu     sync.Mutex
	thrown []string // uncaught exceptions and rejections of the page
}

// openPlayground loads the demo page (query such as "?client=…") in a new
// tab with nothing saved for the origin, waits until the client is loaded
// and fails the test at its end if the page threw anything.
func openPlayground(t *testing.T, s *site, query string) *playground {
	t.Helper()
	p := &playground{t: t, s: s, tab: newTab(t, 90*time.Second)}
	s.api.set(s.Site, p.tab)
	chromedp.ListenTarget(p.tab, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil && e.ExceptionDetails.Exception.Description != "" {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			p.mu.Lock()
			p.thrown = append(p.thrown, msg)
			p.mu.Unlock()
		}
	})
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, m := range p.thrown {
			t.Errorf("the page threw: %s", m)
		}
	})
	if err := pagetest.ClearStorage(p.tab, s.URL); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(p.tab, chromedp.Navigate(s.URL+"/"+query)); err != nil {
		t.Fatalf("opening the playground: %v", err)
	}
	p.wait("the client to load", `document.getElementById('status').dataset.state !== 'loading'`)
	var status struct{ State, Text string }
	p.eval(`(el => ({State: el.dataset.state, Text: el.textContent}))(document.getElementById('status'))`, &status)
	if status.State != "ready" {
		t.Fatalf("the playground did not load its client: %s: %s", status.State, status.Text)
	}
	return p
}

// eval evaluates expr (awaited) into out.
func (p *playground) eval(expr string, out any) {
	p.t.Helper()
	if err := pagetest.Await(p.tab, expr, out); err != nil {
		p.t.Fatalf("evaluating %s: %v", expr, err)
	}
}

// text is the text content of the element sel matches ("" when none).
func (p *playground) text(sel string) string {
	p.t.Helper()
	var s string
	p.eval(fmt.Sprintf(`(el => el ? el.textContent : '')(document.querySelector(%q))`, sel), &s)
	return s
}

// wait polls expr until it is true, for at most 20 s; on failure it says
// what the page showed last.
func (p *playground) wait(what, expr string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.tab, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, pagetest.WaitFor(expr)); err != nil {
		var seen struct{ Result, Events, Expiry string }
		_ = pagetest.Await(p.tab, `({Result: (document.getElementById('result-title') || {}).textContent || '',
			Events: [...document.querySelectorAll('#event-log li')].map(li => li.dataset.event + ':' + (li.dataset.email || '')).join(', '),
			Expiry: (document.getElementById('token-expiry') || {}).textContent || ''})`, &seen)
		p.t.Fatalf("waiting for %s: %v\n  last call: %s\n  events: %s\n  token: %s", what, err, seen.Result, seen.Events, seen.Expiry)
	}
}

// waitFor waits until an element matches sel.
func (p *playground) waitFor(what, sel string) {
	p.t.Helper()
	p.wait(what, fmt.Sprintf(`document.querySelector(%q)`, sel))
}

// fill types value into the field sel, replacing what it held.
func (p *playground) fill(sel, value string) {
	p.t.Helper()
	p.paste(sel, "")
	if err := chromedp.Run(p.tab, chromedp.SendKeys(sel, value, chromedp.ByQuery)); err != nil {
		p.t.Fatalf("typing into %s: %v", sel, err)
	}
}

// paste puts value into the field sel at once, as a paste does (and
// without echoing a long link key by key).
func (p *playground) paste(sel, value string) {
	p.t.Helper()
	var ok bool
	expr := fmt.Sprintf(`(el => { if (!el) return false; el.value = %q; el.dispatchEvent(new Event('input', {bubbles: true})); return true; })(document.querySelector(%q))`, value, sel)
	if err := pagetest.Await(p.tab, expr, &ok); err != nil || !ok {
		p.t.Fatalf("pasting into %s: found %v, %v", sel, ok, err)
	}
}

func (p *playground) click(sel string) {
	p.t.Helper()
	if err := chromedp.Run(p.tab, chromedp.Click(sel, chromedp.ByQuery)); err != nil {
		p.t.Fatalf("clicking %s: %v", sel, err)
	}
}

// outcome is what a call showed: #result's state and method, its title,
// and the p.outcome of the button clicked: its form's, or its card's when
// the card has no form (outcomeFor in ui.js).
type outcome struct {
	State, Method, Title, Outcome string
}

// call clicks a button with a data-call and waits until the page has
// reported the call (a new history entry, #result no longer pending).
func (p *playground) call(button string) outcome {
	p.t.Helper()
	p.eval(`window.lastCallEntry = document.querySelector('#history li'); true`, nil)
	p.click(button)
	p.wait(button+" to finish", `document.querySelector('#history li') !== window.lastCallEntry && document.getElementById('result').dataset.state !== 'pending'`)
	var o outcome
	p.eval(fmt.Sprintf(`(() => {
		const r = document.getElementById('result');
		const scope = document.querySelector(%q).closest('form, .card');
		return {State: r.dataset.state, Method: r.dataset.method, Title: document.getElementById('result-title').textContent,
			Outcome: ((scope && scope.querySelector('.outcome')) || {}).textContent || ''};
	})()`, button), &o)
	return o
}

// mustCall is call for a call that must resolve.
func (p *playground) mustCall(button string) outcome {
	p.t.Helper()
	o := p.call(button)
	if o.State != "ok" {
		p.t.Fatalf("%s: %s (%s)", button, o.Title, o.Outcome)
	}
	return o
}

// login logs in through the Log in card.
func (p *playground) login(email, password string) {
	p.t.Helper()
	p.fill("#login-email", email)
	p.fill("#login-password", password)
	p.mustCall("#login-button")
	p.waitFor(email+" in Logged in as", fmt.Sprintf(`#current-user[data-email=%q]`, email))
}

// events are the entries of #event-log, newest first, as "event:email".
func (p *playground) events() []string {
	p.t.Helper()
	var out []string
	p.eval(`[...document.querySelectorAll('#event-log li')].map(li => li.dataset.event + (li.dataset.email ? ':' + li.dataset.email : ''))`, &out)
	return out
}

func TestPlaygroundEvents(t *testing.T) {
	s := startSite(t)
	p := openPlayground(t, s, "")
	admin := devserver.AdminEmail
	if got := p.text("#events-status"); !strings.Contains(got, "login, logout, token_refresh, user_update") {
		t.Errorf("#events-status = %q; want it to say what it listens to", got)
	}

	p.login(admin, devserver.AdminPassword)
	p.waitFor("a login event", fmt.Sprintf(`#event-log li[data-event="login"][data-email=%q]`, admin))
	if got := p.text(`#event-log li[data-event="login"]`); !strings.Contains(got, "login") || !strings.Contains(got, admin) {
		t.Errorf("the login entry reads %q; want the event and the email", got)
	}

	before := p.text("#token-expiry")
	p.mustCall("#jwt-force-button")
	p.waitFor("a token_refresh event", fmt.Sprintf(`#event-log li[data-event="token_refresh"][data-email=%q]`, admin))
	p.wait("the countdown to note the refresh", `document.getElementById('token-expiry').textContent.includes('Refreshed at')`)
	if before == "" {
		t.Error("#token-expiry was empty while logged in")
	}

	p.mustCall("#logout-button")
	p.waitFor("a logout event", `#event-log li[data-event="logout"]`)
	p.waitFor("nobody in Logged in as", `#current-user[data-state="anonymous"]`)
	want := []string{"logout", "token_refresh:" + admin, "login:" + admin}
	if got := p.events(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("#event-log = %q; want %q (newest first)", got, want)
	}

	// A new client from the Client card: the log follows it, and the old
	// one no longer reports (one login, not two).
	p.mustCall("#config-button")
	p.login(admin, devserver.AdminPassword)
	if got := p.events(); len(got) != 4 || got[0] != "login:"+admin {
		t.Errorf("after a new client and a login, #event-log = %q; want one more login on top", got)
	}
	var count string
	p.eval(`document.getElementById('event-log').dataset.count`, &count)
	if count != "4" {
		t.Errorf("#event-log data-count = %q, want 4", count)
	}
}

// A login saved by another tab shows in this one's Events and Logged in
// as at once, through gotrue.on (and the storage listener).
func TestPlaygroundEventsFromAnotherTab(t *testing.T) {
	s := startSite(t)
	a := openPlayground(t, s, "")
	b := openPlayground(t, s, "")
	admin := devserver.AdminEmail
	b.fill("#login-email", admin)
	b.fill("#login-password", "not-the-password")
	if o := b.call("#login-button"); o.State != "error" {
		t.Fatalf("a wrong password in tab B: %s (%s); want an error", o.State, o.Outcome)
	}
	a.login(admin, devserver.AdminPassword) // remember is checked
	b.waitFor("tab B to show tab A's login", fmt.Sprintf(`#current-user[data-email=%q]`, admin))
	// Tab B's failed login no longer describes the session.
	b.wait("tab B's Log in card to drop its error", `document.querySelector('#login-button + .outcome').textContent === ''`)
	b.waitFor("tab B to log tab A's login", fmt.Sprintf(`#event-log li[data-event="login"][data-email=%q]`, admin))
	a.mustCall("#logout-button")
	b.waitFor("tab B to show nobody", `#current-user[data-state="anonymous"]`)
	b.waitFor("tab B to log tab A's logout", `#event-log li[data-event="logout"]`)
}

// autoRefresh from the Client card keeps a short-lived token fresh: the
// countdown jumps back and the log shows token_refresh, with no click.
func TestPlaygroundAutoRefresh(t *testing.T) {
	var before int
	s := startSite(t)
	s.Identity.SetConfig(func(c *gotruetest.Config) {
		c.TokenLifetime = 4 * time.Second
		c.Now = time.Now // not the stepping clock: the token's life is real time here
	})
	p := openPlayground(t, s, "")
	// Headless Chromium's tabs are hidden, and the auto-refresh pauses
	// while the page is: focus emulation shows it, as a window in front.
	if err := chromedp.Run(p.tab, emulation.SetFocusEmulationEnabled(true)); err != nil {
		t.Fatal(err)
	}
	p.wait("the page to be visible", `document.visibilityState === 'visible'`)
	p.click("#config-autorefresh")
	p.mustCall("#config-button")
	p.login(devserver.AdminEmail, devserver.AdminPassword)
	p.eval(`document.querySelectorAll('#event-log li[data-event="token_refresh"]').length`, &before)
	p.wait("an auto-refresh", fmt.Sprintf(`document.querySelectorAll('#event-log li[data-event="token_refresh"]').length > %d`, before))
	p.wait("the countdown to note the refresh", `document.getElementById('token-expiry').textContent.includes('Refreshed at')`)
}

func TestPlaygroundPasteLink(t *testing.T) {
	s := startSite(t)
	p := openPlayground(t, s, "")
	const lee = "lee@example.com"

	p.fill("#signup-email", lee)
	p.fill("#signup-password", "lee-pw-1")
	p.fill("#signup-name", "Lee")
	p.mustCall("#signup-button")

	// The mailbox's paste button fills the card with the mail's link.
	paste := fmt.Sprintf(`#mailbox li[data-kind="confirmation"][data-to=%q] button.mail-paste`, lee)
	p.wait("the confirmation mail's paste button", fmt.Sprintf(`(b => b && !b.disabled)(document.querySelector(%q))`, paste))
	p.click(paste)
	mail, ok := s.Identity.LastMail(lee, gotruetest.KindConfirmation)
	if !ok {
		t.Fatal("no confirmation mail")
	}
	var pasted string // holds a token: compared, never printed
	p.eval(`document.getElementById('redirect-url').value`, &pasted)
	if pasted != mail.Link {
		t.Fatalf("paste put a %d-character value into #redirect-url (has the token: %v); want the mail's %d-character link",
			len(pasted), strings.Contains(pasted, "#confirmation_token="+mail.Token), len(mail.Link))
	}
	o := p.mustCall("#redirect-button")
	if want := "confirmation: logged in as " + lee; !strings.Contains(o.Outcome, want) {
		t.Errorf("outcome %q; want %q", o.Outcome, want)
	}
	if o.Method != "handleRedirect" {
		t.Errorf("#result data-method = %q, want handleRedirect", o.Method)
	}
	p.waitFor("the confirmed user in Logged in as", fmt.Sprintf(`#current-user[data-email=%q]`, lee))
	p.waitFor("a login event", fmt.Sprintf(`#event-log li[data-event="login"][data-email=%q]`, lee))
	p.eval(`document.getElementById('redirect-url').value`, &pasted)
	if pasted != "" {
		t.Error("#redirect-url still holds the spent link")
	}
	if strings.Contains(o.Title, mail.Token) {
		t.Error("#result-title shows the whole token")
	}

	// An invite link gives its token to the Accept invite card.
	p.login(devserver.AdminEmail, devserver.AdminPassword)
	p.fill("#invite-email", "ivy@example.com")
	p.fill("#invite-name", "Ivy")
	o = p.mustCall("#invite-button")
	if want := `user.admin.inviteUser("ivy@example.com", {"full_name":"Ivy"})`; !strings.Contains(o.Title, want) {
		t.Errorf("the invite ran %q; want %s", o.Title, want)
	}
	invited := false
	for _, r := range s.Identity.Requests() {
		if r.Method == "POST" && r.Path == "/invite" && strings.Contains(r.Body, `"full_name":"Ivy"`) {
			invited = true
		}
	}
	if !invited {
		t.Error("no POST /invite with data.full_name reached the server")
	}
	invite, ok := s.Identity.LastMail("ivy@example.com", gotruetest.KindInvite)
	if !ok {
		t.Fatal("no invite mail")
	}
	p.paste("#redirect-url", invite.Link)
	o = p.mustCall("#redirect-button")
	if want := "invite: token ready — fill in Accept invite"; !strings.Contains(o.Outcome, want) {
		t.Errorf("outcome %q; want %q", o.Outcome, want)
	}
	var accept string // a token: compared, never printed
	p.eval(`document.getElementById('accept-token').value`, &accept)
	if accept != invite.Token {
		t.Errorf("#accept-token holds %d characters, not the invite's token", len(accept))
	}
	p.waitFor("the accept-with-a-provider links", `#accept-external-links a`)
	p.fill("#accept-password", "ivy-pw-1")
	p.mustCall("#accept-button")
	p.waitFor("ivy logged in", `#current-user[data-email="ivy@example.com"]`)
	p.waitFor("ivy's login event", `#event-log li[data-event="login"][data-email="ivy@example.com"]`)

	// Links with nothing to do, and an external login's error.
	p.paste("#redirect-url", s.URL+"/#section=2")
	if o := p.mustCall("#redirect-button"); !strings.Contains(o.Outcome, "nothing to handle in this link") {
		t.Errorf("a link without a token: outcome %q", o.Outcome)
	}
	p.paste("#redirect-url", s.URL+"/#error=access_denied&error_description=The+user+said+no")
	o = p.mustCall("#redirect-button")
	if !strings.Contains(o.Outcome, "error: The user said no") {
		t.Errorf("an error link: outcome %q", o.Outcome)
	}
	var state string
	p.eval(`document.querySelector('#card-redirect .outcome').dataset.state`, &state)
	if state != "error" {
		t.Errorf("an error link: outcome data-state = %q, want error", state)
	}
	p.paste("#redirect-url", "")
	if o := p.call("#redirect-button"); o.State != "error" || !strings.Contains(o.Outcome, "Paste a mail link") {
		t.Errorf("an empty link: %s / %q; want an error asking for a link", o.State, o.Outcome)
	}
}

func TestPlaygroundAdminPaging(t *testing.T) {
	s := startSite(t)
	for i := 1; i <= 4; i++ {
		if _, err := s.Identity.CreateUser(gotruetest.UserParams{Email: fmt.Sprintf("pager%d@example.com", i), Password: "pager-pw", Confirmed: true}); err != nil {
			t.Fatal(err)
		}
	}
	const total = 5 // and the seeded admin
	p := openPlayground(t, s, "")
	p.login(devserver.AdminEmail, devserver.AdminPassword)

	o := p.mustCall("#admin-list-button")
	if !strings.Contains(o.Title, "user.admin.listUsers() resolved") || !strings.Contains(o.Outcome, fmt.Sprintf("%d users", total)) {
		t.Errorf("without paging: %q / %q; want listUsers() and %d users", o.Title, o.Outcome, total)
	}

	s.Identity.ResetRequests()
	p.fill("#admin-per-page", "2")
	o = p.mustCall("#admin-list-button")
	if want := fmt.Sprintf("2 of %d users", total); !strings.Contains(o.Outcome, want) {
		t.Errorf("per page 2: outcome %q; want %q", o.Outcome, want)
	}
	if !strings.Contains(o.Title, `user.admin.listUsers({"perPage":2})`) {
		t.Errorf("per page 2 ran %q", o.Title)
	}
	p.fill("#admin-page", "3")
	o = p.mustCall("#admin-list-button")
	if want := fmt.Sprintf("1 of %d users (page 3)", total); !strings.Contains(o.Outcome, want) {
		t.Errorf("page 3: outcome %q; want %q", o.Outcome, want)
	}
	var ids int
	p.eval(`document.querySelectorAll('#admin-user-ids option').length`, &ids)
	if ids != 1 {
		t.Errorf("the user id suggestions hold %d users, want the page's 1", ids)
	}
	p.paste("#admin-page", "") // cleared
	p.fill("#admin-filter", "pager")
	o = p.mustCall("#admin-list-button")
	if want := "2 of 4 users"; !strings.Contains(o.Outcome, want) { // the admin is left out
		t.Errorf("filter pager: outcome %q; want %q", o.Outcome, want)
	}
	var paths []string
	for _, r := range s.Identity.Requests() {
		if r.Method == "GET" && strings.HasPrefix(r.Path, "/admin/users") {
			paths = append(paths, r.Path)
		}
	}
	if len(paths) != 3 || !strings.Contains(paths[0], "per_page=2") || !strings.Contains(paths[1], "page=3") || !strings.Contains(paths[2], "filter=pager") {
		t.Errorf("the server saw %q; want per_page=2, then page=3, then filter=pager", paths)
	}
}

// With the reference gotrue-js, the page loads and works, and the
// gotrue-wasm additions say so and are disabled.
func TestPlaygroundWithReferenceClient(t *testing.T) {
	s := startSite(t)
	p := openPlayground(t, s, "?client="+refModule)
	var got struct {
		Disabled    map[string]bool
		Missing     int
		Badges      int
		BadgeText   string
		Status      string
		LoginButton bool
		EventCount  string
	}
	p.eval(`(() => {
		const ids = ['redirect-url', 'redirect-remember', 'redirect-button', 'config-autorefresh', 'admin-page', 'admin-per-page',
			'admin-filter', 'invite-name', 'event-log-clear-button'];
		const badges = [...document.querySelectorAll('.only')];
		return {
			Disabled: Object.fromEntries(ids.map(id => [id, document.getElementById(id).disabled])),
			Missing: badges.filter(b => b.hasAttribute('data-missing')).length,
			Badges: badges.length,
			BadgeText: badges.length ? badges[0].textContent : '',
			Status: document.getElementById('events-status').textContent,
			LoginButton: !document.getElementById('login-button').disabled,
			EventCount: document.getElementById('event-log').dataset.count,
		};
	})()`, &got)
	for id, disabled := range got.Disabled {
		if !disabled {
			t.Errorf("#%s is enabled with gotrue-js", id)
		}
	}
	if got.Badges == 0 || got.Missing != got.Badges || got.BadgeText != "gotrue-wasm only" {
		t.Errorf("%d of %d .only badges marked data-missing, the first reading %q; want all, \"gotrue-wasm only\"", got.Missing, got.Badges, got.BadgeText)
	}
	if !strings.Contains(got.Status, "gotrue-wasm only") {
		t.Errorf("#events-status = %q; want it to say gotrue-wasm only", got.Status)
	}
	if !got.LoginButton {
		t.Error("the gotrue-js calls are disabled")
	}
	if p.text("#card-redirect .outcome") == "" {
		t.Error("the Paste a mail link card does not say why it is disabled")
	}

	// The rest works as before: a signup's mail link comes back to the
	// page and is completed there; its paste button is disabled.
	const kim = "kim@example.com"
	p.fill("#signup-email", kim)
	p.fill("#signup-password", "kim-pw-1")
	p.mustCall("#signup-button")
	entry := fmt.Sprintf(`#mailbox li[data-kind="confirmation"][data-to=%q]`, kim)
	p.waitFor("the confirmation mail", entry)
	var pasteDisabled bool
	p.eval(fmt.Sprintf(`document.querySelector(%q).disabled`, entry+" button.mail-paste"), &pasteDisabled)
	if !pasteDisabled {
		t.Error("the mailbox's paste button is enabled with gotrue-js")
	}
	p.click(entry + " a.mail-link")
	p.waitFor("the confirmed user", fmt.Sprintf(`#current-user[data-email=%q]`, kim))
	p.wait("the link's call to finish", `document.getElementById('result').dataset.method === 'confirm' && document.getElementById('result').dataset.state === 'ok'`)

	// The Invite card falls back to user._request('/invite').
	p.login(devserver.AdminEmail, devserver.AdminPassword)
	p.fill("#invite-email", "ray@example.com")
	if o := p.mustCall("#invite-button"); !strings.Contains(o.Title, "user._request('/invite'") {
		t.Errorf("with gotrue-js the invite ran %q; want user._request('/invite', …)", o.Title)
	}
	if _, ok := s.Identity.LastMail("ray@example.com", gotruetest.KindInvite); !ok {
		t.Error("no invite mail")
	}
	var count string
	p.eval(`document.getElementById('event-log').dataset.count`, &count)
	if count != "0" {
		t.Errorf("#event-log data-count = %q with gotrue-js, want 0", count)
	}
}

// mailLinkLogin is the path of the issue: a signup (the server does not
// autoconfirm), a login refused with "Email not confirmed", then the
// confirmation mail's link opened from the page's mailbox, which logs the
// user in. It returns the Log in card's outcome after the failed login.
func (p *playground) mailLinkLogin(email, password string) string {
	p.t.Helper()
	p.fill("#signup-email", email)
	p.fill("#signup-password", password)
	p.mustCall("#signup-button")
	p.fill("#login-email", email)
	p.fill("#login-password", password)
	o := p.call("#login-button")
	if o.State != "error" || !strings.Contains(o.Outcome, "Email not confirmed") {
		p.t.Fatalf("logging in before the confirmation: %s, outcome %q; want the error Email not confirmed", o.State, o.Outcome)
	}
	link := fmt.Sprintf(`#mailbox li[data-kind="confirmation"][data-to=%q] a.mail-link`, email)
	p.waitFor("the confirmation mail in the mailbox", link)
	p.click(link)
	p.waitFor(email+" logged in by the mail link", fmt.Sprintf(`#current-user[data-email=%q]`, email))
	p.wait("the link's confirm() to finish", `(r => r.dataset.method === 'confirm' && r.dataset.state === 'ok')(document.getElementById('result'))`)
	return o.Outcome
}

// Each outcome sits right after the button that made it, and outcomes
// made stale by a change of session (a mail-link login, a logout) go.
func TestPlaygroundOutcomes(t *testing.T) {
	s := startSite(t)
	p := openPlayground(t, s, "")
	const lee = "lee@example.com"

	// Every button that calls something writes into the outcome line
	// that follows it, with at most other buttons in between.
	var misplaced []string
	p.eval(`[...document.querySelectorAll('button[data-call]')].filter(b => {
		const scope = b.closest('form, .card'), o = scope && scope.querySelector('.outcome');
		if (!o) return true;
		for (let el = o.previousElementSibling; el; el = el.previousElementSibling) {
			if (el === b || el.contains(b)) return false;
			if (!el.matches('button, .buttons')) return true;
		}
		return true;
	}).map(b => b.id)`, &misplaced)
	if len(misplaced) > 0 {
		t.Errorf("the outcome lines of %q are not right after their buttons", misplaced)
	}
	var update struct{ Adjacent, SameForm, EmailChangeOwn bool }
	p.eval(`(() => {
		const b = document.getElementById('update-button'), o = b.nextElementSibling;
		const e = document.getElementById('email-change-button'), eo = e.nextElementSibling;
		return {Adjacent: Boolean(o && o.matches('p.outcome')), SameForm: Boolean(o && o.closest('form') === b.closest('form')),
			EmailChangeOwn: Boolean(eo && eo.matches('p.outcome') && eo !== o && eo.closest('form') === e.closest('form'))};
	})()`, &update)
	if !update.Adjacent || !update.SameForm || !update.EmailChangeOwn {
		t.Errorf("Update card: outcome right after #update-button %v, in its form %v; #email-change-button has its own %v; want all true",
			update.Adjacent, update.SameForm, update.EmailChangeOwn)
	}

	// The path: the Log in card's "Email not confirmed" goes once
	// the mail link has logged the user in; the link's own outcome stays.
	p.mailLinkLogin(lee, "lee-pw-1")
	p.wait(`the Log in card to drop "Email not confirmed"`, `!document.querySelector('#login-button + .outcome').textContent.includes('Email not confirmed')`)
	if got := p.text("#login-button + .outcome"); got != "" {
		t.Errorf("after the mail-link login the Log in card says %q; want nothing", got)
	}
	if got := p.text("#confirm-button + .outcome"); !strings.HasPrefix(got, "✓") {
		t.Errorf("the Confirm card says %q after the mail link's confirm(); want its ✓ kept", got)
	}
	if got := p.text("#signup-button + .outcome"); !strings.HasPrefix(got, "✓") {
		t.Errorf("the Sign up card says %q; want its ✓ kept (the signup still happened)", got)
	}

	// The Update card: each form's outcome under its own button.
	p.fill("#update-name", "Lee Updated")
	if o := p.mustCall("#update-button"); !strings.HasPrefix(o.Outcome, "✓") {
		t.Errorf("update: outcome %q", o.Outcome)
	}
	if got := p.text("#update-button + .outcome"); !strings.HasPrefix(got, "✓") {
		t.Errorf("the line right after #update-button says %q; want the update's ✓", got)
	}
	if got := p.text("#email-change-button + .outcome"); got != "" {
		t.Errorf("the update also wrote %q under Confirm email change", got)
	}
	p.fill("#email-change-token", "no-such-token")
	if o := p.call("#email-change-button"); o.State != "error" {
		t.Errorf("a wrong email change token: %s (%s); want an error", o.State, o.Outcome)
	}
	if got := p.text("#email-change-button + .outcome"); !strings.HasPrefix(got, "✗") {
		t.Errorf("under Confirm email change: %q; want its error", got)
	}
	if got := p.text("#update-button + .outcome"); !strings.HasPrefix(got, "✓") {
		t.Errorf("the email change's error replaced the update's outcome: %q", got)
	}

	// A logout clears what was about the user, and keeps its own ✓.
	p.mustCall("#logout-button")
	p.waitFor("nobody in Logged in as", `#current-user[data-state="anonymous"]`)
	for _, sel := range []string{"#update-button + .outcome", "#email-change-button + .outcome", "#confirm-button + .outcome"} {
		if got := p.text(sel); got != "" {
			t.Errorf("after the logout %s still says %q", sel, got)
		}
	}
	if got := p.text("#card-user .outcome"); !strings.HasPrefix(got, "✓") {
		t.Errorf("the Current user card says %q after user.logout(); want its ✓", got)
	}
}

// adminLayout is where the Admin card's boxes and legends are, and how its
// buttons look next to the page's others.
type adminLayout struct {
	Boxes   []struct{ Top, Bottom, Left float64 }
	Legends []struct {
		Text         string
		Height, Line float64
		Clipped      bool
	}
	Overflow bool
	Buttons  []struct{ ID, Style string }
	Want     string
}

func (p *playground) adminLayout(width, height int64) adminLayout {
	p.t.Helper()
	if err := chromedp.Run(p.tab, emulation.SetDeviceMetricsOverride(width, height, 1, false)); err != nil {
		p.t.Fatal(err)
	}
	p.wait(fmt.Sprintf("a %d px wide page", width), fmt.Sprintf(`innerWidth === %d`, width))
	var l adminLayout
	p.eval(`(() => {
		const card = document.getElementById('card-admin');
		const look = (el) => { const c = getComputedStyle(el);
			return [c.fontFamily, c.fontSize, c.fontWeight, c.padding, c.borderRadius, c.minHeight, c.borderWidth].join(' | '); };
		return {
			Boxes: [...card.querySelectorAll('fieldset')].map(f => { const b = f.getBoundingClientRect(); return {Top: b.top, Bottom: b.bottom, Left: b.left}; }),
			Legends: [...card.querySelectorAll('legend')].map(l => ({Text: l.textContent, Height: l.getBoundingClientRect().height,
				Line: parseFloat(getComputedStyle(l).lineHeight), Clipped: l.scrollWidth > l.clientWidth + 1})),
			Overflow: card.scrollWidth > card.clientWidth + 1 || document.documentElement.scrollWidth > innerWidth,
			Buttons: [...card.querySelectorAll('button')].map(b => ({ID: b.id, Style: look(b)})),
			Want: look(document.getElementById('login-button')),
		};
	})()`, &l)
	return l
}

// The Admin card lays its three boxes out evenly: side by side with
// aligned tops (and bottoms) at 1280 px, no legend wrapping at 1280 or
// 375 px, and its buttons in the page's button style.
func TestPlaygroundAdminLayout(t *testing.T) {
	s := startSite(t)
	p := openPlayground(t, s, "")
	p.login(devserver.AdminEmail, devserver.AdminPassword)
	p.mustCall("#admin-list-button") // an outcome in one box only
	for _, w := range []int64{1280, 375} {
		l := p.adminLayout(w, 900)
		if len(l.Boxes) != 3 || len(l.Legends) != 3 {
			t.Fatalf("%d px: %d fieldsets, %d legends; want 3 each", w, len(l.Boxes), len(l.Legends))
		}
		for _, lg := range l.Legends {
			if math.IsNaN(lg.Line) || lg.Line <= 0 || math.Abs(lg.Height-lg.Line) > 1.5 {
				t.Errorf("%d px: legend %q is %.1f px high, its line %.1f px: it wraps", w, lg.Text, lg.Height, lg.Line)
			}
			if lg.Clipped {
				t.Errorf("%d px: legend %q is cut off", w, lg.Text)
			}
		}
		if l.Overflow {
			t.Errorf("%d px: the Admin card or the page scrolls sideways", w)
		}
		for _, b := range l.Buttons {
			if b.Style != l.Want {
				t.Errorf("%d px: #%s looks like %q; the page's buttons (#login-button) like %q", w, b.ID, b.Style, l.Want)
			}
		}
		if w == 1280 {
			top, bottom := l.Boxes[0].Top, l.Boxes[0].Bottom
			for i, b := range l.Boxes {
				if math.Abs(b.Top-top) > 2 || math.Abs(b.Bottom-bottom) > 2 {
					t.Errorf("1280 px: box %d spans %.1f–%.1f, box 1 %.1f–%.1f; want one row of aligned boxes", i+1, b.Top, b.Bottom, top, bottom)
				}
				if i > 0 && b.Left <= l.Boxes[i-1].Left {
					t.Errorf("1280 px: box %d is not right of box %d", i+1, i)
				}
			}
		}
	}
}

// A call whose request gets no answer (here blocked by the page's CSP,
// connect-src 'self', on its way to a port nobody listens on) explains
// the bare "Failed to fetch", and still shows it.
func TestPlaygroundUnreachableAPI(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String() + "/.netlify/identity"
	l.Close()
	for _, client := range []struct{ name, query string }{{"wasm", ""}, {"ref", "?client=" + refModule}} {
		t.Run(client.name, func(t *testing.T) {
			s := startSite(t)
			p := openPlayground(t, s, client.query)
			p.paste("#config-apiurl", dead)
			p.mustCall("#config-button")
			o := p.call("#settings-button")
			if o.State != "error" {
				t.Fatalf("settings() against %s: %s (%s); want an error", dead, o.State, o.Outcome)
			}
			t.Logf("the Settings card says: %s", o.Outcome)
			for _, want := range []string{
				"could not reach " + dead + ": the server is down, or the browser blocked the request",
				"CORS: the identity server must allow this page's origin " + s.URL,
				"CSP: the page's connect-src must allow",
				"See the browser console for which.",
				"(TypeError · Failed to fetch)", // the error itself, as before
			} {
				if !strings.Contains(o.Outcome, want) {
					t.Errorf("the Settings card says %q; want %q in it", o.Outcome, want)
				}
				if !strings.Contains(o.Title, want) {
					t.Errorf("#result-title says %q; want %q in it", o.Title, want)
				}
			}
			// The page's CSP (connect-src 'self') is what blocked it here, and
			// the browser reports that, after the fetch failed: both lines
			// name it then.
			origin := strings.TrimSuffix(dead, "/.netlify/identity")
			for _, sel := range []string{"#settings-button + .outcome", "#result-title"} {
				p.wait(sel+" to name the CSP violation", fmt.Sprintf(`document.querySelector(%q).textContent.includes(%q)`,
					sel, "The browser reported a CSP violation (connect-src) for "+origin+": the page's Content-Security-Policy blocked it."))
			}
			t.Logf("then: %s", p.text("#settings-button + .outcome"))
			var class string
			p.eval(`document.getElementById('result').dataset.errorClass`, &class)
			if class != "TypeError" {
				t.Errorf("#result data-error-class = %q, want TypeError", class)
			}
			var json string
			p.eval(`document.getElementById('result-json').textContent`, &json)
			if !strings.Contains(json, `"explanation"`) || !strings.Contains(json, `"message": "Failed to fetch"`) {
				t.Errorf("#result-json lacks the explanation or the original message:\n%s", json)
			}

			// Other browsers' words for it are explained too; other errors,
			// TypeErrors included, are not.
			var got map[string]bool
			p.eval(`import('/network.js').then(m => Object.fromEntries(Object.entries({
				firefox: new TypeError('NetworkError when attempting to fetch resource.'),
				safari: new TypeError('Load failed'),
				pageBug: new TypeError("Cannot read properties of undefined (reading 'id')"),
				notTypeError: new Error('Failed to fetch'),
			}).map(([k, e]) => [k, Boolean(m.explain(e))])))`, &got)
			want := map[string]bool{"firefox": true, "safari": true, "pageBug": false, "notTypeError": false}
			for k, w := range want {
				if got[k] != w {
					t.Errorf("explain(%s) explained: %v, want %v", k, got[k], w)
				}
			}
		})
	}
}

// PLAYGROUND_SCREENSHOTS=dir writes screenshots of the page at 1280 and
// 375 px wide, with both clients, for looking at the layout: after a
// mail-link login (playground-<client>-<width>-maillink-*.png) and logged
// in as the seeded admin (…-admin-*.png, the Admin card in
// …-admin-card-admin.png).
func TestPlaygroundScreenshots(t *testing.T) {
	dir := os.Getenv("PLAYGROUND_SCREENSHOTS")
	if dir == "" {
		t.Skip("PLAYGROUND_SCREENSHOTS=dir writes the screenshots")
	}
	for _, client := range []struct{ name, query string }{{"wasm", ""}, {"ref", "?client=" + refModule}} {
		t.Run(client.name, func(t *testing.T) { screenshots(t, dir, client.name, client.query) })
	}
}

// screenshots writes the page's, and some cards', for one client. Its tab
// must be the only one: a background tab paints no frame to capture.
func screenshots(t *testing.T, dir, client, query string) {
	s := startSite(t)
	p := openPlayground(t, s, query)

	p.mailLinkLogin("lee@example.com", "lee-pw-1")
	p.wait(`the Log in card to drop "Email not confirmed"`, `!document.querySelector('#login-button + .outcome').textContent.includes('Email not confirmed')`)
	p.shoot(dir, client, "maillink", "#card-login", map[string]string{
		"#card-signup": "card-signup", "#card-login": "card-login", "#confirm-button": "card-confirm", "#card-user": "card-user", "#result-panel": "result-panel",
	})

	p.login(devserver.AdminEmail, devserver.AdminPassword)
	if client == "wasm" {
		p.mustCall("#jwt-force-button")
		p.fill("#admin-per-page", "2")
		p.mustCall("#admin-list-button")
		p.click(`#mailbox li button.mail-paste`)
	}
	p.shoot(dir, client, "admin", "#card-admin", map[string]string{
		"#card-redirect": "card-redirect", "#card-admin": "card-admin", "#events-panel": "events-panel",
		"#mailbox-panel": "mailbox-panel", "#card-invite": "card-invite", "#config-button": "card-client",
	})
}

// shoot writes, at 1280 and 375 px wide, the whole page, the view scrolled
// to show the element view, and the cards or panels of the elements crops
// names (cut from the whole page), as playground-<client>-<width>-<scene>-<name>.png.
func (p *playground) shoot(dir, client, scene, view string, crops map[string]string) {
	t := p.t
	t.Helper()
	for _, size := range []struct{ w, h int64 }{{1280, 900}, {375, 812}} {
		// In front, or a screenshot may wait for a frame that never comes.
		if err := chromedp.Run(p.tab, page.BringToFront(), emulation.SetDeviceMetricsOverride(size.w, size.h, 1, false)); err != nil {
			t.Fatal(err)
		}
		p.wait(fmt.Sprintf("a %d px wide page", size.w), fmt.Sprintf(`innerWidth === %d`, size.w))
		var full, shown []byte
		err := chromedp.Run(p.tab,
			chromedp.Evaluate(`window.scrollTo(0, 0)`, nil),
			chromedp.FullScreenshot(&full, 100),
			chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).scrollIntoView({block: 'start'})`, view), nil),
			chromedp.CaptureScreenshot(&shown),
		)
		if err != nil {
			t.Fatal(err)
		}
		shots := map[string][]byte{"full": full, "view": shown}
		img, err := png.Decode(bytes.NewReader(full))
		if err != nil {
			t.Fatal(err)
		}
		for sel, name := range crops {
			var r struct{ X, Y, W, H float64 }
			p.eval(fmt.Sprintf(`(el => { el = el.closest('.card, .panel'); scrollTo(0, 0);
				const b = el.getBoundingClientRect(); return {X: b.x, Y: b.y, W: b.width, H: b.height}; })(document.querySelector(%q))`, sel), &r)
			box := image.Rect(int(r.X), int(r.Y), int(math.Ceil(r.X+r.W)), int(math.Ceil(r.Y+r.H))).Intersect(img.Bounds())
			if box.Empty() {
				continue // scrolled out of the side column: see the view
			}
			var b bytes.Buffer
			if err := png.Encode(&b, img.(interface {
				SubImage(image.Rectangle) image.Image
			}).SubImage(box)); err != nil {
				t.Fatal(err)
			}
			shots[name] = b.Bytes()
		}
		for name, b := range shots {
			path := filepath.Join(dir, fmt.Sprintf("playground-%s-%d-%s-%s.png", client, size.w, scene, name))
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", path)
		}
	}
}
