// Command bench measures what a page pays for using gotrue.wasm instead of
// gotrue-js 1.0.1, side by side in one headless Chromium, and next to the
// floor: a bare Go syscall/js program built with the same flags. It prints
// one table, writes it to RESULTS.md, draws the main ratios into
// results.svg and saves both as results.json.
//
//	go run ./tools/bench             what `make bench` runs (about 6 minutes)
//	go run ./tools/bench -quick      a short run, to check the pages work
//	go run ./tools/bench -chart-from tools/bench/results.json
//	                                 draws results.svg again, measuring nothing
//
// The machine is shared and noisy, so the variants are interleaved
// (A, B, C, then B, C, A, …) and the table reports ratios measured in the
// same run. It needs `make wasm reference chromium .bin/bare.wasm
// .bin/callfloor.wasm`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/internal/compress"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// defaultOut is where RESULTS.md goes, relative to the repository root.
const defaultOut = "tools/bench"

// config is what the flags set.
type config struct {
	out        string        // folder for RESULTS.md, results.svg and results.json; "" writes nothing
	chartFrom  string        // a results.json to draw results.svg from, instead of measuring
	jsDir      string        // the loader folder with gotrue.wasm; "" is the checkout's js/
	bare       string        // the floor's wasm; "" is .bin/bare.wasm
	callFloor  string        // the floor of a call into Go; "" is .bin/callfloor.wasm
	loads      int           // cold loads per page, unthrottled
	warm       int           // warm loads per page, recorded after warmSkip
	slowLoads  int           // cold loads per page on Fast 3G
	cacheWait  time.Duration // how long a warm visit that fills the caches waits for the code cache
	trips      int           // round trips per client
	reps       int           // repetitions of each hot-call and concurrency measure
	window     time.Duration // the least time one hot-call measure runs
	jwts       int           // fresh jwt() calls in the memory workload
	cycles     int           // login/logout cycles in the memory workload
	concurrent int           // concurrent jwt(true) calls
	firsts     int           // fresh pages whose first jwt(true) is timed, per client
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	c := config{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.out, "out", defaultOut, "write RESULTS.md, results.svg and results.json into this folder (\"\" for none)")
	fs.StringVar(&c.chartFrom, "chart-from", "", "measure nothing: draw results.svg into -out from this results.json")
	fs.StringVar(&c.jsDir, "js", "", "the loader folder with gotrue.wasm (default: the checkout's js/)")
	fs.StringVar(&c.bare, "bare", "", "the floor's wasm (default: .bin/bare.wasm)")
	fs.StringVar(&c.callFloor, "callfloor", "", "the floor of a call into Go, built from tools/callfloor (default: .bin/callfloor.wasm)")
	fs.IntVar(&c.loads, "loads", 30, "cold loads per page, unthrottled")
	fs.IntVar(&c.warm, "warm", 30, "warm loads per page, recorded after "+strconv.Itoa(warmSkip)+" that fill the caches")
	fs.IntVar(&c.slowLoads, "slowloads", 20, "cold loads per page on Fast 3G")
	fs.DurationVar(&c.cacheWait, "cachewait", 5*time.Second, "how long a warm visit that fills the caches waits for Chromium to cache the compiled wasm")
	fs.IntVar(&c.trips, "trips", 200, "round trips per client")
	fs.IntVar(&c.reps, "reps", 5, "repetitions of each hot-call and concurrency measure")
	fs.DurationVar(&c.window, "window", 250*time.Millisecond, "the least time one hot-call measure runs")
	fs.IntVar(&c.jwts, "jwts", 10000, "fresh jwt() calls in the memory workload")
	fs.IntVar(&c.cycles, "cycles", 500, "login/logout cycles in the memory workload")
	fs.IntVar(&c.concurrent, "concurrent", 100, "concurrent jwt(true) calls")
	fs.IntVar(&c.firsts, "firsts", 30, "fresh pages whose first jwt(true) is timed, per client")
	quick := fs.Bool("quick", false, "a short run with small counts, to check that everything works")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *quick {
		c.cacheWait = time.Second
		c.loads, c.warm, c.slowLoads, c.trips, c.reps, c.window, c.jwts, c.cycles, c.firsts = 3, 3, 2, 20, 2, 50*time.Millisecond, 500, 20, 3
	}
	if c.loads < 1 || c.warm < 1 || c.slowLoads < 1 || c.trips < 1 || c.reps < 1 || c.concurrent < 1 || c.firsts < 1 {
		return c, errors.New("-loads, -warm, -slowloads, -trips, -reps, -concurrent and -firsts must be at least 1")
	}
	return c, nil
}

func run(args []string, stdout, stderr io.Writer) (err error) {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	h := &harness{}
	defer h.close()
	defer catch(&err)
	start := time.Now()

	root := pagetest.Root(h)
	if cfg.out == defaultOut {
		cfg.out = filepath.Join(root, defaultOut)
	}
	if cfg.chartFrom != "" {
		return redraw(cfg.chartFrom, cfg.out, stdout)
	}
	l := layout{jsDir: cfg.jsDir, refDir: pagetest.ReferenceDir(h), bare: cfg.bare, callFloor: cfg.callFloor}
	if l.jsDir == "" {
		l.jsDir = pagetest.JSDir(h)
	}
	if l.bare == "" {
		l.bare = filepath.Join(root, ".bin", "bare.wasm")
	}
	if l.callFloor == "" {
		l.callFloor = filepath.Join(root, ".bin", "callfloor.wasm")
	}
	res := &results{cfg: cfg, profile: fast3G, load: loadAverage()}

	fmt.Fprintln(stderr, "bytes: compressing every file at the best gzip and brotli levels")
	files, err := loadFiles(l.all()...)
	if err != nil {
		return fmt.Errorf("%w (run `make wasm reference .bin/bare.wasm .bin/callfloor.wasm`)", err)
	}
	res.wasm = files[l.wasmPage()[0]].sizes()
	res.bare = files[l.bare].sizes()
	res.wasmPage = total(files, l.wasmPage()...)
	res.floorPage = total(files, l.floorPage()...)
	res.refESM = files[l.refESM()].sizes()
	res.refBundle = files[l.refBundle()].sizes()

	site := pagetest.StartSite(h, pagetest.Options{
		Config: devserver.Config{JSDir: l.jsDir},
		Handle: map[string]http.Handler{
			"/bench/": pagesHandler(),
			"/ref/":   refAssets(files, l),
			"/bare/":  bareAssets(files[l.bare], files[l.callFloor]),
		},
	})
	// Precise memory figures: otherwise performance.memory is rounded.
	// A profile of the bench's own, so that it can see what Chromium put
	// in its code cache.
	profileDir, err := os.MkdirTemp("", "bench-profile-")
	if err != nil {
		return err
	}
	h.Cleanup(func() { _ = os.RemoveAll(profileDir) })
	browserCtx := pagetest.NewBrowser(h, chromedp.Flag("enable-precise-memory-info", true), chromedp.UserDataDir(profileDir))
	res.browser = browserVersion(browserCtx)

	clients := []*client{
		openClient(h, browserCtx, site.Identity, "wasm", site.URL+"/bench/wasm.html"),
		openClient(h, browserCtx, site.Identity, "ref", site.URL+"/bench/ref.html"),
	}
	floor := openPage(h, browserCtx, site.URL+"/bench/floor.html")
	// The ready pages start with a session each client saved.
	sessions := map[string]string{}
	for _, c := range clients {
		if err := c.login(); err != nil {
			return err
		}
		var s string
		if err := c.call("saved()", &s); err != nil {
			return err
		}
		sessions[c.key] = s
	}

	res.ready, res.user = map[string]map[string]Sample{}, map[string]map[string]Sample{}
	// Cold, unthrottled, after one unrecorded round: the first loads of a
	// new browser pay for starting its processes.
	cold := func(p profile) func(pg readyPage, session string, _ bool) (loadResult, error) {
		return func(pg readyPage, session string, _ bool) (loadResult, error) {
			return coldLoad(browserCtx, site.URL+pg.path, p, session)
		}
	}
	if res.ready[coldKey], res.user[coldKey], res.wire, err = loads("time to ready, cold", cfg.loads, 1, sessions, stderr, cold(unthrottled)); err != nil {
		return err
	}
	// Warm: the visits that fill the caches stay until Chromium has cached
	// the compiled wasm, as a visitor's first visit would.
	res.codeCache, res.cacheHits = map[string]int64{}, map[string]cacheHit{}
	warm := func(pg readyPage, session string, fill bool) (loadResult, error) {
		r, err := warmLoad(browserCtx, site.URL+pg.path, session)
		if err == nil && fill && pg.wasm != "" {
			res.codeCache[pg.key] = awaitCodeCache(profileDir, site.URL+pg.wasm, cfg.cacheWait)
		}
		return r, err
	}
	if res.ready[warmKey], res.user[warmKey], _, err = loads("time to ready, warm", cfg.warm, warmSkip, sessions, stderr, warm); err != nil {
		return err
	}
	// One more warm load of each wasm page, traced, says whether the
	// recorded ones compiled the wasm again or took it from the cache.
	for _, pg := range readyPages {
		if pg.wasm == "" {
			continue
		}
		if res.cacheHits[pg.key], err = tracedWarmLoad(browserCtx, site.URL+pg.path, site.URL+pg.wasm, sessions[pg.key]); err != nil {
			return fmt.Errorf("traced warm load of %s: %w", pg.path, err)
		}
	}
	if res.ready[fast3G.Name], _, _, err = loads("time to ready, "+fast3G.Name, cfg.slowLoads, 0, sessions, stderr, cold(fast3G)); err != nil {
		return err
	}

	fmt.Fprintln(stderr, "hot calls")
	if res.hot, err = hotCalls(clients, floor, cfg.reps, cfg.window); err != nil {
		return err
	}
	if res.trips, err = roundTrips(clients, cfg.trips, 20, stderr); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "memory")
	if res.memory, err = memory(clients, cfg.jwts, cfg.cycles); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "concurrency")
	if res.concurrency, err = concurrency(clients, site.Identity, cfg.concurrent, cfg.reps); err != nil {
		return err
	}
	if res.first, err = firstRefreshes(browserCtx, clients, cfg.firsts, false, stderr); err != nil {
		return err
	}
	if res.firstNextPage, err = firstRefreshes(browserCtx, clients, cfg.firsts, true, stderr); err != nil {
		return err
	}
	res.elapsed = time.Since(start)

	report := res.report()
	fmt.Fprint(stdout, report.Body())
	if cfg.out == "" {
		return nil
	}
	if err := writeResults(cfg.out, report); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nWritten: %s, %s, %s\n", filepath.Join(cfg.out, "RESULTS.md"), filepath.Join(cfg.out, "results.svg"), filepath.Join(cfg.out, "results.json"))
	return nil
}

// writeResults writes RESULTS.md, results.svg and results.json.
func writeResults(dir string, r *Report) error {
	md := r.Markdown("gotrue.wasm vs gotrue-js 1.0.1 and the Go floor") +
		"\n![The main ratios](results.svg)\n"
	if err := os.WriteFile(filepath.Join(dir, "RESULTS.md"), []byte(md), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.svg"), Chart(chartTitle, r.Bars), 0o644); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, "results.json"), r)
}

// redraw draws results.svg into dir from the bars of a results.json.
func redraw(from, dir string, stdout io.Writer) error {
	if dir == "" {
		return errors.New("-chart-from needs an -out folder")
	}
	r, err := readJSON(from)
	if err != nil {
		return err
	}
	out := filepath.Join(dir, "results.svg")
	if err := os.WriteFile(out, Chart(chartTitle, r.Bars), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Written: %s\n", out)
	return nil
}

// refAssets serves gotrue-js's ES module and script bundle at /ref/.
func refAssets(files map[string]*file, l layout) assets {
	a := assets{}
	for urlPath, p := range map[string]string{"/ref/lib/index.js": l.refESM(), "/ref/browser/gotrue.js": l.refBundle()} {
		f := files[p]
		// gzip at the dev server's on-the-fly level
		a[urlPath] = newAsset("text/javascript; charset=utf-8", f.data, newBody("gzip", compress.Gzip(f.data, 6)))
	}
	return a
}

// bareAssets serves the floors at /bare/bare.wasm and
// /bare/callfloor.wasm, precompressed like gotrue.wasm.
func bareAssets(bare, callFloor *file) assets {
	wasm := func(f *file) *asset {
		return newAsset("application/wasm", f.data, newBody("br", f.br), newBody("gzip", f.gz))
	}
	return assets{"/bare/bare.wasm": wasm(bare), "/bare/callfloor.wasm": wasm(callFloor)}
}

func browserVersion(ctx context.Context) string {
	var product string
	_ = chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		_, p, _, _, _, err := browser.GetVersion().Do(ctx)
		product = p
		return err
	}))
	return strings.Replace(product, "/", " ", 1)
}

// loadAverage is the 1-, 5- and 15-minute load average, "?" where
// /proc/loadavg is missing: the machine is shared, so it says how busy
// the run's neighbours were.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// machine describes where the run happened.
func machine() string {
	return fmt.Sprintf("%s, %s/%s, %d CPUs", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
}
