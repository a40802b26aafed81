package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// results are one run's raw measurements; report turns them into the
// table, judging each against the goals.
type results struct {
	cfg     config
	profile profile // the throttled network
	browser string
	load    string // the machine's load average when the run started
	elapsed time.Duration

	wasm, bare                             Sizes // gotrue.wasm and the floor's wasm
	wasmPage, floorPage, refESM, refBundle Sizes // everything each page downloads

	ready map[string]map[string]Sample // coldKey, warmKey or fast3G's name → page → ms
	user  map[string]map[string]Sample // coldKey or warmKey → client → ms to the first currentUser()
	wire  map[string]Sample            // page → response bytes of one cold unthrottled load
	// codeCache is the bytes of compiled code Chromium cached for each
	// page's wasm while the warm loads filled the caches; cacheHits says
	// whether a traced warm load after them took it from there.
	codeCache map[string]int64
	cacheHits map[string]cacheHit

	hot         map[string]map[string]Sample // op → client → calls/s
	trips       map[string]map[string]Sample // step → client → ms
	memory      map[string]memoryRun
	concurrency map[string]*concurrencyRun
	first       map[string]Sample // client → ms of a new visitor's first jwt(true)
	// firstNextPage is the same for the next page of a visit, in one tab.
	firstNextPage map[string]Sample
}

// The goals.
const (
	maxFloorRatio    = 1.30    // gotrue.wasm ≤ 1.3 × the floor, raw, gzip and brotli
	maxBrotliPage    = 560_000 // brotli of the whole download, bytes
	maxReadyRatio    = 1.25    // time to ready ≤ 1.25 × the floor's, cold, warm and Fast 3G
	minSyncRate      = 100_000 // currentUser(), tokenDetails() per second
	minJWTRate       = 30_000  // jwt() with a fresh token per second
	maxTripRatio     = 1.1     // round trips within 1.1 × gotrue-js
	maxMemoryGrowth  = 1e6     // bytes over the workload
	wantTokenPerJWTs = 1       // /token requests for the concurrent jwt(true)
	maxBurstRatio    = 3.0     // the concurrent jwt(true) settle within 3 × gotrue-js
	maxFirstRatio    = 1.2     // a fresh page's first jwt(true) within 1.2 × gotrue-js
)

func (r *results) report() *Report {
	rep := &Report{}
	rep.Sections = []Section{r.bytesSection(rep), r.readySection(rep), r.userSection(rep), r.hotSection(rep), r.tripSection(rep), r.memorySection(rep), r.concurrencySection(rep), r.firstSection(rep)}
	rep.Notes = r.notes()
	return rep
}

func (r *results) bytesSection(rep *Report) Section {
	s := Section{Title: "1. Bytes (best gzip / brotli)"}
	floorRow := func(enc string, w, b int) {
		q := ratio(float64(w), float64(b))
		v := atMost(q, maxFloorRatio)
		s.Rows = append(s.Rows, Row{Figure: "gotrue.wasm vs bare.wasm, " + enc, Wasm: fmtBytes(w), Floor: fmtBytes(b),
			Ratio: fmtRatio(q) + " floor", Goal: "≤ " + fmtGoal(maxFloorRatio) + "× floor", Verdict: v})
		rep.Bars = append(rep.Bars, Bar{Label: "WASM / FLOOR, " + strings.ToUpper(enc), Value: q, Goal: maxFloorRatio, Verdict: v})
	}
	floorRow("raw", r.wasm.Raw, r.bare.Raw)
	floorRow("gzip", r.wasm.Gzip, r.bare.Gzip)
	floorRow("brotli", r.wasm.Brotli, r.bare.Brotli)

	pageRow := func(enc string, w, ref, floor int) Row {
		return Row{Figure: "whole download, " + enc, Wasm: fmtBytes(w), Ref: fmtBytes(ref), Floor: fmtBytes(floor),
			Ratio: fmtRatio(ratio(float64(w), float64(ref))) + " js"}
	}
	s.Rows = append(s.Rows,
		pageRow("raw", r.wasmPage.Raw, r.refESM.Raw, r.floorPage.Raw),
		pageRow("gzip", r.wasmPage.Gzip, r.refESM.Gzip, r.floorPage.Gzip))
	br := pageRow("brotli", r.wasmPage.Brotli, r.refESM.Brotli, r.floorPage.Brotli)
	br.Goal, br.Verdict = "≤ "+fmtBytes(maxBrotliPage), atMost(float64(r.wasmPage.Brotli), maxBrotliPage)
	s.Rows = append(s.Rows, br)
	rep.Bars = append(rep.Bars,
		Bar{Label: "DOWNLOAD BROTLI / " + fmtBytes(maxBrotliPage/1000) + " KB", Value: float64(r.wasmPage.Brotli) / maxBrotliPage, Goal: 1, Verdict: br.Verdict},
		Bar{Label: "DOWNLOAD BROTLI / GOTRUE-JS", Value: ratio(float64(r.wasmPage.Brotli), float64(r.refESM.Brotli))})
	s.Rows = append(s.Rows, Row{Figure: "gotrue-js script bundle, raw / gzip / brotli",
		Ref: fmtBytes(r.refBundle.Raw) + " / " + fmtBytes(r.refBundle.Gzip) + " / " + fmtBytes(r.refBundle.Brotli)})
	w, ref, floor := r.wire["wasm"].Median(), r.wire["ref"].Median(), r.wire["bare"].Median()
	s.Rows = append(s.Rows, Row{Figure: "on the wire per cold load, as served",
		Wasm: fmtBytesF(w), Ref: fmtBytesF(ref), Floor: fmtBytesF(floor), Ratio: fmtRatio(ratio(w, floor)) + " floor"})
	return s
}

func fmtBytesF(f float64) string {
	if math.IsNaN(f) {
		return ""
	}
	return fmtBytes(int(f))
}

// both is a ratio cell against the floor and gotrue-js.
func both(w, floor, ref float64) string {
	return fmtRatio(ratio(w, floor)) + " floor, " + fmtRatio(ratio(w, ref)) + " js"
}

// fmtGoal is a goal's factor: 1.25, 1.3, 2.
func fmtGoal(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func (r *results) readySection(rep *Report) Section {
	s := Section{Title: fmt.Sprintf("2. Time to ready, ms (%d cold, %d warm, %d Fast 3G loads)", r.cfg.loads, r.cfg.warm, r.cfg.slowLoads)}
	for _, v := range []struct{ key, name, bar string }{
		{coldKey, "cold", "COLD"},
		{warmKey, "warm", "WARM"},
		{r.profile.Name, r.profile.Name + ", cold", strings.ToUpper(r.profile.Name)},
	} {
		ready := r.ready[v.key]
		for _, stat := range []string{"median", "p95"} {
			get := func(key string) float64 {
				if stat == "median" {
					return ready[key].Median()
				}
				return ready[key].Percentile(95)
			}
			w, ref, floor := get("wasm"), get("ref"), get("bare")
			row := Row{Figure: v.name + ", " + stat, Wasm: fmtMS(w), Ref: fmtMS(ref), Floor: fmtMS(floor), Ratio: both(w, floor, ref)}
			if stat == "median" {
				row.Goal, row.Verdict = "≤ "+fmtGoal(maxReadyRatio)+"× floor", atMost(ratio(w, floor), maxReadyRatio)
				rep.Bars = append(rep.Bars, Bar{Label: "READY / FLOOR, " + v.bar, Value: ratio(w, floor), Goal: maxReadyRatio, Verdict: row.Verdict})
				if v.key == coldKey {
					rep.Bars = append(rep.Bars, Bar{Label: "READY / GOTRUE-JS, COLD", Value: ratio(w, ref)})
				}
			}
			s.Rows = append(s.Rows, row)
		}
	}
	return s
}

// userSection is the time to the first currentUser() answer of a page
// with a saved session, for information.
func (r *results) userSection(rep *Report) Section {
	s := Section{Title: "3. First currentUser() of a page with a saved session, ms"}
	for _, v := range []struct{ key, bar string }{{coldKey, "COLD"}, {warmKey, "WARM"}} {
		user := r.user[v.key]
		if user == nil {
			continue
		}
		for _, stat := range []string{"median", "p95"} {
			get := func(key string) float64 {
				if stat == "median" {
					return user[key].Median()
				}
				return user[key].Percentile(95)
			}
			w, ref := get("wasm"), get("ref")
			s.Rows = append(s.Rows, Row{Figure: v.key + ", " + stat, Wasm: fmtMS(w), Ref: fmtMS(ref), Ratio: fmtRatio(ratio(w, ref)) + " js"})
			if stat == "median" {
				rep.Bars = append(rep.Bars, Bar{Label: "FIRST CURRENTUSER() / GOTRUE-JS, " + v.bar, Value: ratio(w, ref)})
			}
		}
	}
	return s
}

func (r *results) hotSection(rep *Report) Section {
	s := Section{Title: fmt.Sprintf("4. Hot calls per second (median of %d)", r.cfg.reps)}
	goals := map[string]float64{"currentUser": minSyncRate, "tokenDetails": minSyncRate, "jwt": minJWTRate}
	for _, op := range hotOps {
		w, ref, floor := r.hot[op]["wasm"].Median(), r.hot[op]["ref"].Median(), r.hot[op]["bare"].Median()
		name := op + "()"
		if op == "jwt" {
			name = "jwt(), fresh token"
		}
		row := Row{Figure: name, Wasm: fmtRate(w), Ref: fmtRate(ref), Floor: fmtRate(floor), Ratio: both(w, floor, ref)}
		if g := goals[op]; g > 0 {
			row.Goal, row.Verdict = "≥ "+fmtRate(g), atLeast(w, g)
			rep.Bars = append(rep.Bars, Bar{Label: strings.ToUpper(op) + "() RATE / GOAL", Value: w / g, Goal: 1, Verdict: row.Verdict})
		}
		s.Rows = append(s.Rows, row)
	}
	for _, f := range []struct{ op, name string }{
		{"funcOfLookup", "floor: js.FuncOf export finding a page object"},
		{"wasmexport", "floor: //go:wasmexport no-op"},
		{"wasmexportLookup", "floor: //go:wasmexport finding a page object"},
	} {
		s.Rows = append(s.Rows, Row{Figure: f.name, Floor: fmtRate(r.hot[f.op]["bare"].Median())})
	}
	return s
}

func (r *results) tripSection(rep *Report) Section {
	s := Section{Title: fmt.Sprintf("5. Round trips, ms (median of %d)", r.cfg.trips)}
	names := map[string]string{
		"login": "login()", "getUserData": "getUserData()", "logout": "logout()",
		"cycle": "login → getUserData → logout", "jwt(true)": "jwt(true)",
	}
	for _, step := range tripSteps {
		w, ref := r.trips[step]["wasm"].Median(), r.trips[step]["ref"].Median()
		row := Row{Figure: names[step], Wasm: fmtMS(w), Ref: fmtMS(ref), Ratio: fmtRatio(ratio(w, ref)) + " js"}
		if step == "cycle" || step == "jwt(true)" {
			row.Goal, row.Verdict = "≤ "+fmtGoal(maxTripRatio)+"× js", atMost(ratio(w, ref), maxTripRatio)
			label := "LOGIN CYCLE / GOTRUE-JS"
			if step == "jwt(true)" {
				label = "JWT(TRUE) / GOTRUE-JS"
			}
			rep.Bars = append(rep.Bars, Bar{Label: label, Value: ratio(w, ref), Goal: maxTripRatio, Verdict: row.Verdict})
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}

func (r *results) memorySection(rep *Report) Section {
	s := Section{Title: "6. Memory after forced GC"}
	w, ref := r.memory["wasm"], r.memory["ref"]
	s.Rows = append(s.Rows,
		Row{Figure: "wasm linear memory before", Wasm: fmtBytesF(w.Before.Wasm)},
		Row{Figure: "JS heap before", Wasm: fmtBytesF(w.Before.Heap), Ref: fmtBytesF(ref.Before.Heap)})
	grow := func(name string, wv, refv float64, judged bool, label string) {
		row := Row{Figure: name, Wasm: fmtMB(wv), Ref: fmtMB(refv)}
		if judged {
			row.Goal, row.Verdict = "≤ 1 MB", atMost(wv, maxMemoryGrowth)
			rep.Bars = append(rep.Bars, Bar{Label: label, Value: wv / maxMemoryGrowth, Goal: 1, Verdict: row.Verdict})
		}
		s.Rows = append(s.Rows, row)
	}
	grow("wasm linear memory growth", w.After.Wasm-w.Before.Wasm, math.NaN(), true, "WASM MEMORY GROWTH / 1 MB")
	grow("JS heap growth", w.After.Heap-w.Before.Heap, ref.After.Heap-ref.Before.Heap, true, "JS HEAP GROWTH / 1 MB")
	grow("wasm linear memory growth, workload again", w.Again.Wasm-w.After.Wasm, math.NaN(), false, "")
	grow("JS heap growth, workload again", w.Again.Heap-w.After.Heap, ref.Again.Heap-ref.After.Heap, false, "")
	s.Rows = append(s.Rows, Row{Figure: "Go handles of page objects: before → after → again",
		Wasm: fmt.Sprintf("%d → %d → %d", w.Before.Handles, w.After.Handles, w.Again.Handles)})
	return s
}

func (r *results) concurrencySection(rep *Report) Section {
	n := r.cfg.concurrent
	s := Section{Title: fmt.Sprintf("7. %d concurrent jwt(true), %d times", n, r.cfg.reps)}
	w, ref := r.concurrency["wasm"], r.concurrency["ref"]
	if w == nil || ref == nil {
		return s
	}
	reqs := func(c *concurrencyRun) string {
		parts := make([]string, len(c.Requests))
		for i, k := range c.Requests {
			parts[i] = strconv.Itoa(k)
		}
		return strings.Join(parts, ", ")
	}
	v := Met
	worst := 0
	for _, k := range w.Requests {
		worst = max(worst, k)
		if k != wantTokenPerJWTs {
			v = NotMet
		}
	}
	if len(w.Requests) == 0 {
		v = Missing
	}
	rep.Bars = append(rep.Bars, Bar{Label: "/TOKEN REQUESTS PER BURST", Value: float64(worst), Goal: 1, Verdict: v})
	ws, rs := w.Settle.Median(), ref.Settle.Median()
	settle := atMost(ratio(ws, rs), maxBurstRatio)
	rep.Bars = append(rep.Bars, Bar{Label: "BURST SETTLE / GOTRUE-JS", Value: ratio(ws, rs), Goal: maxBurstRatio, Verdict: settle})
	s.Rows = append(s.Rows,
		Row{Figure: "/token requests, each time", Wasm: reqs(w), Ref: reqs(ref), Goal: "= 1", Verdict: v},
		Row{Figure: "time to settle, median", Wasm: fmtMS(ws), Ref: fmtMS(rs), Ratio: fmtRatio(ratio(ws, rs)) + " js", Goal: "≤ " + fmtGoal(maxBurstRatio) + "× js", Verdict: settle},
		Row{Figure: "distinct tokens / failed calls", Wasm: fmt.Sprintf("%d / %d", w.Distinct, w.Failed), Ref: fmt.Sprintf("%d / %d", ref.Distinct, ref.Failed)})
	return s
}

func (r *results) firstSection(rep *Report) Section {
	s := Section{Title: fmt.Sprintf("8. First jwt(true) of a fresh page, ms (%d pages)", r.cfg.firsts)}
	for _, v := range []struct {
		label, bar string
		sample     map[string]Sample
	}{
		{"new visitor", "FIRST JWT(TRUE), NEW VISITOR / GOTRUE-JS", r.first},
		{"next page", "FIRST JWT(TRUE), NEXT PAGE / GOTRUE-JS", r.firstNextPage},
	} {
		if v.sample == nil {
			continue
		}
		w, ref := v.sample["wasm"], v.sample["ref"]
		wm, rm := w.Median(), ref.Median()
		verdict := atMost(ratio(wm, rm), maxFirstRatio)
		rep.Bars = append(rep.Bars, Bar{Label: v.bar, Value: ratio(wm, rm), Goal: maxFirstRatio, Verdict: verdict})
		s.Rows = append(s.Rows,
			Row{Figure: v.label + ", median", Wasm: fmtMS(wm), Ref: fmtMS(rm), Ratio: fmtRatio(ratio(wm, rm)) + " js", Goal: "≤ " + fmtGoal(maxFirstRatio) + "× js", Verdict: verdict},
			Row{Figure: v.label + ", p95", Wasm: fmtMS(w.Percentile(95)), Ref: fmtMS(ref.Percentile(95)), Ratio: fmtRatio(ratio(w.Percentile(95), ref.Percentile(95))) + " js"})
	}
	return s
}

func (r *results) notes() []string {
	notes := []string{
		"Time to ready: ms from navigation start until `new GoTrue()` (or the bare program's main) first ran, by performance.now() in the page. Cold: each load in a fresh browser context with the cache disabled (CDP Network.setCacheDisabled), after one unrecorded round in the new browser. Warm: each load in a new tab of the browser's default context (its profile on disk: the only kind of context with a code cache), cache enabled; the first " + strconv.Itoa(warmSkip) + " visits of each page are not recorded: they fill the HTTP cache and stay open until Chromium has cached the compiled wasm, or " + r.cfg.cacheWait.String() + ". Fast 3G: cold loads under " + r.profile.String() + ", applied with CDP Network.emulateNetworkConditionsByRule to every request. The three pages are interleaved.",
		"Served: every file with Cache-Control: no-cache and a strong ETag per encoding (the dev server's for js/, the bench's own for gotrue-js and the floor), so that a warm load revalidates each file and gets a 304, then reads it from the HTTP cache; the HTML pages come from Go's file server with no validator (a 200 of under 2 KB each time, for all three). gotrue.wasm and bare.wasm precompressed (Chromium accepts br on 127.0.0.1, so brotli at the best level), JavaScript gzipped at the default level on the fly.",
		r.codeCacheNote(),
		"Markup: the pages use the README's preload markup. ready-wasm.html: modulepreload of gotrue.mjs, gotrue-core.js and wasm_exec.js and a preload of gotrue.wasm as fetch with crossorigin, then `import GoTrue from '/js/gotrue.mjs'`; ready-bare.html: the same for wasm_exec.js and bare.wasm, and it loads bare.wasm as js/gotrue.mjs loads gotrue.wasm (the fetch started alongside the import of wasm_exec.js, then WebAssembly.instantiateStreaming when served as application/wasm); ready-ref.html: a modulepreload of gotrue-js's one module.",
		"First currentUser(): every ready page starts with a session in localStorage (set before any script of the page runs; the one each client's bench page saved after a login) and notes, in the same loads, when `new GoTrue(...).currentUser()` first answered a user, in ms from navigation start.",
		"Whole download: gotrue.wasm + gotrue.mjs + gotrue-core.js + wasm_exec.js for gotrue.wasm; lib/index.js (the ES module) for gotrue-js; bare.wasm + wasm_exec.js for the floor. Each file is compressed on its own, as served. KB and MB are 10³ and 10⁶ bytes.",
		"Hot calls: the Go floor is tools/callfloor, a Go program with no-op exports: a js.FuncOf one (what gotrue.wasm's methods are; jwt()'s floor awaits it) and //go:wasmexport ones, which JavaScript calls as plain wasm functions, bypassing syscall/js's event loop: gotrue.wasm answers cached currentUser(), tokenDetails() and fresh jwt() calls through such checks (wasm/fast.go).",
		"Hot calls and round trips: loops timed with performance.now() inside each page; gotrue.wasm and gotrue-js run in separate browser contexts with separate users, measured alternately. gotrue-js's rates are for information: a call from JavaScript into Go costs microseconds.",
		"Memory: the workload is " + fmtBytes(r.cfg.jwts) + " jwt() with a fresh token, then " + fmtBytes(r.cfg.cycles) + " login/logout cycles, after a warm-up of a tenth of it, and run again. performance.memory.usedJSHeapSize (Chromium with --enable-precise-memory-info) and the byte length of the Go instance's exported memory, each after two CDP HeapProfiler.collectGarbage with a pause for FinalizationRegistry callbacks. js/gotrue.mjs does not expose its Go instance; the bench page reaches it by wrapping Go.prototype.run. Linear memory never shrinks: it shows the peak of Go's heap, not a leak; the second round and the handle count tell a leak apart from warm-up.",
		"First jwt(true) of a fresh page: each page starts with the client's session in localStorage (set before any script of the page runs, the rotated one of the page before), and times its first jwt(true) with performance.now(), from the call until it resolves; the two clients alternate. New visitor: each page in a new tab of a new browser context, nothing cached, so gotrue.wasm's functions are compiled as they first run. Next page: each client's pages load one after another in one tab, after one unrecorded page, as a visitor goes from page to page of a site; the tab's process keeps the compiled wasm. gotrue.wasm takes the cross-tab Web Lock around the refresh; gotrue-js takes none.",
		"Browser: " + r.browser + "; " + machine() + "; load average at the start " + r.load + "; the run took " + r.elapsed.Round(time.Second).String() + ".",
		"What would meet the goals that are not met, measured: OPTIONS.md.",
	}
	for _, k := range []string{"wasm", "ref"} {
		if c := r.concurrency[k]; c != nil && c.FirstFailure != "" {
			notes = append(notes, fmt.Sprintf("Concurrency, %s: %d calls failed; first: %s", k, c.Failed, c.FirstFailure))
		}
	}
	return notes
}

// codeCacheNote says what Chromium's code cache held for the warm loads.
func (r *results) codeCacheNote() string {
	name := map[string]string{"wasm": "gotrue.wasm", "bare": "bare.wasm"}
	var held, hits []string
	for _, k := range []string{"wasm", "bare"} {
		if n := r.codeCache[k]; n > 0 {
			held = append(held, fmtBytes(int(n))+" B for "+name[k])
		}
		if h := r.cacheHits[k]; h.Hit {
			hits = append(hits, name[k]+" ("+fmtBytes(int(h.Bytes))+" B)")
		}
	}
	if len(held) == 0 && len(hits) == 0 {
		return "Code cache: Chromium cached no compiled code for gotrue.wasm or bare.wasm, though the visits that fill the caches waited for it and the responses allow it (streamed, revalidated, same URL). V8 offers a module to the cache only once at least 1,000 bytes of it have tiered up to TurboFan and 2 s have passed without more (--wasm-caching-threshold, --wasm-caching-timeout-ms); a page's start runs no function long enough to tier up, so a warm load saves the download (a 304) but compiles again, lazily, with Liftoff, like a cold one. A traced warm load of each page after the recorded ones found no code cache hit."
	}
	hit := "none of the two"
	if len(hits) > 0 {
		hit = strings.Join(hits, ", ")
	}
	return "Code cache: while the unrecorded warm visits filled the caches, Chromium cached " + strings.Join(held, " and ") + " of compiled code; a traced warm load of each page after the recorded ones took it from the cache for: " + hit + "."
}
