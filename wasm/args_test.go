//go:build js

package main

import (
	"slices"
	"strings"
	"syscall/js"
	"testing"
)

// badValues are arguments of every type a page can pass by mistake.
var badValues = map[string]string{
	"number":    "42",
	"string":    "'text'",
	"null":      "null",
	"undefined": "undefined",
	"object":    "({email: 'x'})",
	"array":     "[1, 2]",
	"symbol":    "Symbol('s')",
	"bigint":    "10n",
	"function":  "(() => 'x')",
}

// The kinds of parameters, and the bad values each accepts: a string
// parameter takes only strings; attributes take objects (undefined means
// {}); a user takes an object with an id; a token response takes an
// object (one without access_token is a plain Error).
var accepts = map[string][]string{
	"string":     {"string"},
	"attributes": {"object", "undefined"},
	"user":       {},
	"token":      {"object"},
}

// A method of each object with a parameter of each kind in each position;
// BAD marks the one under test.
var argCalls = []struct {
	on, method, param string
	args              []string
	sync              bool
}{
	{"gotrue", "signup", "string", []string{"BAD", "'pw'"}, false},
	{"gotrue", "signup", "string", []string{"'a@b.c'", "BAD"}, false},
	{"gotrue", "login", "string", []string{"BAD", "'pw'"}, false},
	{"gotrue", "login", "string", []string{"'a@b.c'", "BAD"}, false},
	{"gotrue", "confirm", "string", []string{"BAD"}, false},
	{"gotrue", "recover", "string", []string{"BAD"}, false},
	{"gotrue", "verify", "string", []string{"BAD", "'tok'"}, false},
	{"gotrue", "verify", "string", []string{"'signup'", "BAD"}, false},
	{"gotrue", "acceptInvite", "string", []string{"BAD", "'pw'"}, false},
	{"gotrue", "acceptInvite", "string", []string{"'tok'", "BAD"}, false},
	{"gotrue", "requestPasswordRecovery", "string", []string{"BAD"}, false},
	{"gotrue", "loginExternalUrl", "string", []string{"BAD"}, true},
	{"gotrue", "acceptInviteExternalUrl", "string", []string{"BAD", "'tok'"}, true},
	{"gotrue", "acceptInviteExternalUrl", "string", []string{"'github'", "BAD"}, true},
	{"gotrue", "createUser", "token", []string{"BAD"}, false},
	{"user", "update", "attributes", []string{"BAD"}, false},
	{"admin", "getUser", "user", []string{"BAD"}, false},
	{"admin", "updateUser", "user", []string{"BAD"}, false},
	{"admin", "updateUser", "attributes", []string{"{id: 'x'}", "BAD"}, false},
	{"admin", "deleteUser", "user", []string{"BAD"}, false},
	{"admin", "createUser", "string", []string{"BAD", "'pw'"}, false},
	{"admin", "createUser", "string", []string{"'a@b.c'", "BAD"}, false},
	{"admin", "createUser", "attributes", []string{"'a@b.c'", "'pw'", "BAD"}, false},
}

// A wrong argument rejects (async) or throws (sync) an error that says
// what is wrong, before any request, and the module goes on working.
func TestBadArguments(t *testing.T) {
	reset(t)
	objs := testObjects(t)
	for _, c := range argCalls {
		for kind, bad := range badValues {
			if slices.Contains(accepts[c.param], kind) {
				continue
			}
			expr := c.on + "." + c.method + "(" + strings.Replace(strings.Join(c.args, ", "), "BAD", bad, 1) + ")"
			t.Run(expr, func(t *testing.T) {
				v := jsFunc("gotrue, user, admin", "try { return {value: "+expr+"}; } catch (e) { return {thrown: e}; }").Invoke(objs.gotrue, objs.user, objs.admin)
				thrown, value := v.Get("thrown"), v.Get("value")
				if c.sync {
					if isType(value, js.TypeObject) && isPromise(value) {
						t.Fatal("a sync method returned a Promise")
					}
					wantError(t, thrown, "TypeError", "gotrue: …")
					return
				}
				if !thrown.IsUndefined() {
					t.Fatalf("an async method threw %s", jsEval("return String(a)", thrown).String())
				}
				e := rejection(t, value)
				switch {
				case c.param == "token" && kind == "array":
					wantError(t, e, "TypeError", "gotrue: tokenResponse must be a plain object")
				case c.param == "token" && kind != "object":
					wantError(t, e, "TypeError", "gotrue: tokenResponse must be an object, not …")
				default:
					wantError(t, e, "TypeError", "gotrue: …")
				}
			})
		}
	}
	stillWorks(t, objs)
}

type testObjs struct{ gotrue, user, admin js.Value }

// testObjects are a GoTrue, and a User with its Admin (logged in when a
// server is there, else recovered from a made-up session).
func testObjects(t *testing.T) testObjs {
	g := class("GoTrue").New(map[string]any{"APIUrl": "https://example.com/.netlify/identity"})
	js.Global().Get("localStorage").Call("setItem", "gotrue.user",
		`{"token":{"access_token":"x.eyJleHAiOjQxMDI0NDQ4MDB9.y","refresh_token":"r","expires_at":4102444800000},"url":"https://example.com/.netlify/identity","audience":"","id":"1","email":"a@b.c"}`)
	testBindings.session.Invalidate()
	u := g.Call("currentUser")
	t.Cleanup(func() { reset(t) })
	return testObjs{g, u, u.Get("admin")}
}

func stillWorks(t *testing.T, o testObjs) {
	t.Helper()
	if got := o.gotrue.Call("loginExternalUrl", "github").String(); got != "https://example.com/.netlify/identity/authorize?provider=github" {
		t.Fatalf("after bad calls: %q", got)
	}
	if jwt := await(t, o.user.Call("jwt")); jwt.String() != "x.eyJleHAiOjQxMDI0NDQ4MDB9.y" {
		t.Fatalf("jwt after bad calls: %v", jwt)
	}
}

// Methods called on the wrong object, values that throw while being read,
// and values JSON cannot hold reject cleanly.
func TestHostileArguments(t *testing.T) {
	reset(t)
	o := testObjects(t)
	for _, c := range []struct {
		expr, class, msg string
	}{
		{"GoTrue.prototype.login.call({}, 'a', 'b')", "TypeError", "gotrue: login must be called on a GoTrue"},
		{"GoTrue.prototype.settings.call(undefined)", "TypeError", "gotrue: settings must be called on a GoTrue"},
		{"GoTrue.prototype.settings.call(user)", "TypeError", "gotrue: settings must be called on a GoTrue"},
		{"User.prototype.jwt.call(gotrue)", "TypeError", "gotrue: jwt must be called on a User"},
		{"Object.create(User.prototype).getUserData()", "TypeError", "gotrue: getUserData must be called on a User"},
		{"User.prototype.logout.call(new Proxy({}, {get() { throw new RangeError('trap'); }}))", "RangeError", "trap"},
		{"new Admin({}).listUsers()", "TypeError", "gotrue: admin.listUsers (on the Admin of a User) must be called on a User"},
		{"new Admin(null).listUsers()", "TypeError", "…"},
		{"admin.listUsers(5)", "TypeError", "gotrue: aud must be a string, not number"},
		{"admin.getUser({})", "TypeError", "gotrue: user.id must be a non-empty string, not undefined"},
		{"admin.getUser({id: ''})", "TypeError", "gotrue: user.id must be a non-empty string, not string"},
		{"admin.deleteUser({get id() { throw new RangeError('id getter'); }})", "RangeError", "id getter"},
		{"user.update([1, 2])", "TypeError", "gotrue: attributes must be a plain object, not an array or a value with toJSON"},
		{"user.update({n: 10n})", "TypeError", "…"},
		{"(() => { const c = {}; c.c = c; return gotrue.signup('a@b.c', 'pw', c); })()", "TypeError", "…"},
		{"user.update({toJSON() { throw new RangeError('toJSON'); }})", "RangeError", "toJSON"},
		{"gotrue.createUser({toJSON() { return 'str'; }})", "TypeError", "gotrue: tokenResponse must be a plain object"},
		{"gotrue.createUser({access_token: 5})", "Error", "gotrue: the token response has no access_token"},
	} {
		t.Run(c.expr, func(t *testing.T) {
			p := jsFunc("gotrue, user, admin, GoTrue, User, Admin", "return "+c.expr).Invoke(o.gotrue, o.user, o.admin, class("GoTrue"), class("User"), class("Admin"))
			wantError(t, rejection(t, p), c.class, c.msg)
		})
	}
	for _, c := range []struct{ expr, class, msg string }{
		{"User.prototype.tokenDetails.call({})", "TypeError", "gotrue: tokenDetails must be called on a User"},
		{"new User()", "TypeError", "gotrue: the api of new User() must be an API (gotrue.api), not undefined"},
		{"new User(gotrue.api, 'token')", "TypeError", "gotrue: tokenResponse must be an object, not string"},
		{"User.recoverSession({apiURL: '/x'})", "TypeError", "gotrue: the api of User.recoverSession() must be an API (gotrue.api), not object"},
		{"gotrue.api.headers.call({})", "TypeError", "gotrue: headers must be called on an API (gotrue.api)"},
		{"user._saveUserData('x')", "TypeError", "gotrue: attributes must be an object, not string"},
		{"user._processTokenResponse(null)", "TypeError", "gotrue: tokenResponse must be an object, not null"},
		{"User.prototype.clearSession.call(5)", "TypeError", "gotrue: clearSession must be called on a User"},
		{"GoTrue.prototype.currentUser.call(user)", "TypeError", "gotrue: currentUser must be called on a GoTrue"},
		{"gotrue.loginExternalUrl({toString() { return 'github'; }})", "TypeError", "gotrue: provider must be a string, not object"},
	} {
		t.Run(c.expr, func(t *testing.T) {
			e := jsFunc("gotrue, user, GoTrue, User", "try { "+c.expr+"; } catch (e) { return e; }").Invoke(o.gotrue, o.user, class("GoTrue"), class("User"))
			wantError(t, e, c.class, c.msg)
		})
	}
	stillWorks(t, o)
}

// Sync methods answer values, async ones Promises, as in gotrue-js.
func TestSyncAndAsync(t *testing.T) {
	reset(t)
	o := testObjects(t)
	sync := map[string]string{
		"gotrue.loginExternalUrl('github')":             "string",
		"gotrue.acceptInviteExternalUrl('github', 'x')": "string",
		"gotrue.currentUser()":                          "object",
		"user.tokenDetails()":                           "object",
		"user.admin":                                    "object",
	}
	for expr, typ := range sync {
		v := jsFunc("gotrue, user", "return "+expr).Invoke(o.gotrue, o.user)
		if kind(v) != typ || isType(v, js.TypeObject) && isPromise(v) {
			t.Errorf("%s = %v; want a %s", expr, v, typ)
		}
	}
	if !o.user.Get("admin").InstanceOf(class("Admin")) || !o.user.Get("admin").Get("user").Equal(o.user) {
		t.Error("user.admin is not an Admin of the user")
	}
	if !o.gotrue.Call("currentUser").InstanceOf(class("User")) {
		t.Error("currentUser() is not a User")
	}
	pending := js.Global().Get("Array").New()
	for _, expr := range []string{
		"gotrue.settings()", "gotrue.signup('a', 'b')", "gotrue.login('a', 'b')", "gotrue.confirm('t')",
		"gotrue.recover('t')", "gotrue.verify('signup', 't')", "gotrue.acceptInvite('t', 'p')",
		"gotrue.requestPasswordRecovery('a')", "gotrue.createUser({})", "gotrue.validateCurrentSession()",
		"user.jwt()", "user.update({})", "user.getUserData()", "user.admin.listUsers()",
		"user.admin.getUser({id: 'x'})", "user.admin.updateUser({id: 'x'})", "user.admin.createUser('a', 'b')",
		"user.admin.deleteUser({id: 'x'})",
	} {
		v := jsFunc("gotrue, user", "return "+expr).Invoke(o.gotrue, o.user)
		if !isPromise(v) {
			t.Errorf("%s is not a Promise", expr)
		}
		pending.Call("push", v)
	}
	// Leave nothing running (the made-up server does not answer).
	await(t, js.Global().Get("Promise").Call("allSettled", pending))
	// The clearing methods last.
	if v := o.user.Call("clearSession"); !v.IsUndefined() {
		t.Errorf("clearSession() = %v", v)
	}
	if v := o.user.Call("logout"); !isPromise(v) {
		t.Error("logout() is not a Promise")
	} else {
		await(t, v)
	}
}
