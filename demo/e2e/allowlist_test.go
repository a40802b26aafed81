package e2e

import "regexp"

// deviation is an allowed difference between gotrue-wasm and gotrue-js
// 1.0.1: a deliberate one (docs/behaviour.md §5) or an addition (§6).
// Each entry says which and why, and matches as narrowly as it can.
type deviation struct {
	Name     string         // the docs/behaviour.md section or doc comment it comes from
	Reason   string         // why we differ
	Scenario string         // the scenario it shows up in
	Step     *regexp.Regexp // the step's label, e.g. `^#6 user#2\.jwt$`; nil any
	Path     *regexp.Regexp // the path within the step; nil any
	Ref      *regexp.Regexp // gotrue-js's value (compact JSON); nil any
	Ours     *regexp.Regexp // ours; nil any
}

// deviations is the allow-list. Step matches the step's full label, with
// its number ("#6 user#2.jwt"), so that an entry cannot hide the same call
// going wrong elsewhere in the script.
var deviations = []deviation{
	{
		Name: "window.GoTrue is the class and carries the namespace's members (docs/behaviour.md §5.5)",
		Reason: "gotrue-js's script-tag bundle put its module namespace on window.GoTrue, so pages written for it read " +
			"window.GoTrue.JSONHTTPError and friends; gotrue-wasm puts the class there and gives it those members as " +
			"non-enumerable statics (default, User, Admin, HTTPError, TextHTTPError, JSONHTTPError)",
		Scenario: "object_shapes",
		Step:     regexp.MustCompile(`^#3 note: GoTrue statics$`),
		Path:     regexp.MustCompile(`^value\.(default|User|Admin|HTTPError|TextHTTPError|JSONHTTPError)$`),
		Ref:      regexp.MustCompile(`^\(absent\)$`),
		Ours:     regexp.MustCompile(`^"function/`),
	},
	{
		Name: "gotrue-wasm's additions (docs/behaviour.md §6)",
		Reason: "events (on, off), handleRedirect and admin.inviteUser are methods gotrue-js does not have; they come " +
			"after gotrue-js's own members, so a page that enumerates a prototype still finds gotrue-js's first and in " +
			"its order, and nothing else of an object changes",
		Scenario: "object_shapes",
		Step:     regexp.MustCompile(`^#4 note: GoTrue\.prototype members$|^#11 note: Admin\.prototype members$`),
		Path:     regexp.MustCompile(`^value\.(on|off|handleRedirect|inviteUser)$`),
		Ref:      regexp.MustCompile(`^\(absent\)$`),
		Ours:     regexp.MustCompile(`^"function/2"$`),
	},
	{
		Name: "tabs share one refresh (docs/behaviour.md §5.3)",
		Reason: "a second view of the session (another tab's) refreshes with a refresh token the first has already spent: " +
			"gotrue-js sends it, gets 400 invalid_grant and clears the saved session, logging the user out everywhere; " +
			"gotrue-wasm re-reads storage under a Web Lock and adopts the newer token of the same user, with no request",
		Scenario: "cross_tab_refresh",
		Step:     regexp.MustCompile(`^#6 user#2\.jwt$|^#7 gotrue#1\.currentUser$`),
	},
	{
		Name: "a half-failed login leaves the previous session (docs/behaviour.md §5.4; gotrue/methods.go: Login, createUser)",
		Reason: "createUser with a token the server refuses (GET /user answers 401): gotrue-js has already made the " +
			"half-built user current in its constructor, so currentUser() returns a user with a refused token and " +
			"validateCurrentSession() then clears the saved session of the user who was logged in; gotrue-wasm changes " +
			"nothing until the user is read, so the admin stays logged in",
		Scenario: "half_failed_login",
		Step:     regexp.MustCompile(`^#[456] gotrue#1\.(currentUser|validateCurrentSession)$`),
	},
	{
		Name: "a failed refresh keeps the session (docs/behaviour.md §5.1)",
		Reason: "a refresh that fails with a 5xx (the API is down): gotrue-js clears the session, logging the user out; " +
			"gotrue-wasm rejects the same way but keeps the session, since only a 4xx means the refresh token was refused",
		Scenario: "server_trouble",
		Step:     regexp.MustCompile(`^#6 user#2\.jwt$|^#7 gotrue#2\.currentUser$`),
		Path:     regexp.MustCompile(`^storage$|^value$`),
	},
	{
		Name: "validateCurrentSession keeps the user when the server fails (docs/behaviour.md §5.2; gotrue/methods.go: ValidateCurrentSession)",
		Reason: "GET /user answers 503: gotrue-js clears the session and resolves null, logging the user out of a page opened " +
			"while the API is down; gotrue-wasm clears it only when the server rejects the session (4xx) and otherwise resolves the user",
		Scenario: "server_trouble",
		Step:     regexp.MustCompile(`^#10 gotrue#2\.validateCurrentSession$|^#11 gotrue#2\.currentUser$`),
		Path:     regexp.MustCompile(`^storage$|^value$`),
	},
	{
		Name: "invalid JSON answers (docs/behaviour.md §5.6; gotrue/errors.go: InvalidAnswerError)",
		Reason: "a 200 answer labelled JSON whose body is not JSON: gotrue-js rejects with the SyntaxError of response.json(); " +
			"gotrue-wasm with an Error that says the server's answer is invalid (and changes nothing either)",
		Scenario: "bad_answers",
		Step:     regexp.MustCompile(`^#[23] gotrue#1\.(settings|login)$`),
		Path:     regexp.MustCompile(`^error\.(constructor|name|message)$`),
	},
	{
		Name: "invalid JSON answers (docs/behaviour.md §5.6; gotrue/errors.go: checkResponse)",
		Reason: "an error answer labelled JSON whose body is not JSON (a proxy's HTML 502): gotrue-js rejects with a " +
			"SyntaxError that has lost the status; gotrue-wasm with a TextHTTPError that keeps the status and the body",
		Scenario: "bad_answers",
		Step:     regexp.MustCompile(`^#5 gotrue#2\.settings$`),
		Path:     regexp.MustCompile(`^error\.`),
	},
	{
		Name: "the wording of the logged cause of unreadable claims (docs/behaviour.md §5.7)",
		Reason: "both log 'Gotrue-js: Failed to parse tokenResponse claims: ' and a cause; gotrue-js's cause is whatever " +
			"its decoder happened to throw (a TypeError about .replace of undefined), ours says what is wrong with the token " +
			"(never the token itself)",
		Scenario: "half_failed_login",
		Step:     regexp.MustCompile(`^#3 gotrue#1\.createUser$`),
		Path:     regexp.MustCompile(`^console\[0\]$`),
		Ref:      regexp.MustCompile(`^"error: Error: Gotrue-js: Failed to parse tokenResponse claims: TypeError: `),
		Ours:     regexp.MustCompile(`^"error: Error: Gotrue-js: Failed to parse tokenResponse claims: gotrue: the access token is not a JWT`),
	},
	{
		Name: "the wording of the parser's message on recovering a session (docs/behaviour.md §5.7)",
		Reason: "both log 'Gotrue-js: Error recovering session: SyntaxError: …' and leave the entry; after that prefix " +
			"gotrue-js quotes V8's JSON.parse message (which differs between browsers anyway), ours the Go core's",
		Scenario: "saved_session",
		Step:     regexp.MustCompile(`^#3 gotrue#1\.currentUser$`),
		Path:     regexp.MustCompile(`^console\[0\]$`),
		Ref:      regexp.MustCompile(`^"error: Error: Gotrue-js: Error recovering session: SyntaxError: `),
		Ours:     regexp.MustCompile(`^"error: Error: Gotrue-js: Error recovering session: SyntaxError: `),
	},
}

// allowed returns the deviation that explains d in scenario, or nil.
func allowed(scenario string, d difference) *deviation {
	for i := range deviations {
		dev := &deviations[i]
		if dev.Scenario == scenario &&
			matches(dev.Step, d.Step) && matches(dev.Path, d.Path) &&
			matches(dev.Ref, d.Ref) && matches(dev.Ours, d.Ours) {
			return dev
		}
	}
	return nil
}

func matches(re *regexp.Regexp, s string) bool { return re == nil || re.MatchString(s) }
