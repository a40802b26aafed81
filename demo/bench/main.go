// Command bench measures what a page pays for using gotrue.wasm instead of
// gotrue-js 1.0.1, side by side in one headless Chromium, and next to the
// floor: a bare Go syscall/js program built with the same flags. It prints
// one table, writes it to RESULTS.md and draws the main ratios into
// results.png.
//
//	go run ./demo/bench              what `make bench` runs (about 7 minutes)
//	go run ./demo/bench -quick       a short run, to check the pages work
//
// The machine is shared and noisy, so the variants are interleaved
// (A, B, C, then B, C, A, …) and the table reports ratios measured in the
// same run. It needs `make wasm reference chromium .bin/bare.wasm`.
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
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/demo/internal/compress"
	"github.com/gotrue-wasm/gotrue-wasm/demo/internal/pagetest"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// defaultOut is where RESULTS.md goes, relative to the repository root.
const defaultOut = "demo/bench"

// config is what the flags set.
type config struct {
	out        string        // folder for RESULTS.md and results.png; "" writes nothing
	jsDir      string        // the loader folder with gotrue.wasm; "" is the checkout's js/
	bare       string        // the floor's wasm; "" is .bin/bare.wasm
	callFloor  string        // the floor of a call into Go; "" is .bin/callfloor.wasm
	loads      int           // cold loads per page and network profile
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
	fs.StringVar(&c.out, "out", defaultOut, "write RESULTS.md and results.png into this folder (\"\" for none)")
	fs.StringVar(&c.jsDir, "js", "", "the loader folder with gotrue.wasm (default: the checkout's js/)")
	fs.StringVar(&c.bare, "bare", "", "the floor's wasm (default: .bin/bare.wasm)")
	fs.StringVar(&c.callFloor, "callfloor", "", "the floor of a call into Go, built from demo/bench/callfloor (default: .bin/callfloor.wasm)")
	fs.IntVar(&c.loads, "loads", 30, "cold loads per page and network profile")
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
		c.loads, c.trips, c.reps, c.window, c.jwts, c.cycles, c.firsts = 3, 20, 2, 50*time.Millisecond, 500, 20, 3
	}
	if c.loads < 1 || c.trips < 1 || c.reps < 1 || c.concurrent < 1 || c.firsts < 1 {
		return c, errors.New("-loads, -trips, -reps, -concurrent and -firsts must be at least 1")
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
	if cfg.out == defaultOut {
		cfg.out = filepath.Join(root, defaultOut)
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
	browserCtx := pagetest.NewBrowser(h, chromedp.Flag("enable-precise-memory-info", true))
	res.browser = browserVersion(browserCtx)

	for _, p := range []profile{unthrottled, fast3G} {
		ready, wire, err := readyTimes(browserCtx, site.URL, p, cfg.loads, p.Conditions == nil, stderr)
		if err != nil {
			return err
		}
		if res.ready == nil {
			res.ready, res.wire = map[string]map[string]Sample{}, wire
		}
		res.ready[p.Name] = ready
	}

	clients := []*client{
		openClient(h, browserCtx, site.Identity, "wasm", site.URL+"/bench/wasm.html"),
		openClient(h, browserCtx, site.Identity, "ref", site.URL+"/bench/ref.html"),
	}
	floor := openPage(h, browserCtx, site.URL+"/bench/floor.html")
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
	fmt.Fprintf(stdout, "\nWritten: %s, %s\n", filepath.Join(cfg.out, "RESULTS.md"), filepath.Join(cfg.out, "results.png"))
	return nil
}

// writeResults writes RESULTS.md and results.png.
func writeResults(dir string, r *Report) error {
	png, err := encodePNG(Chart("GOTRUE.WASM: RATIOS TO THE GO FLOOR, TO GOTRUE-JS AND TO THE GOALS (LOG SCALE)", r.Bars))
	if err != nil {
		return err
	}
	md := r.Markdown("gotrue.wasm vs gotrue-js 1.0.1 and the Go floor") +
		"\n![The main ratios](results.png)\n"
	if err := os.WriteFile(filepath.Join(dir, "RESULTS.md"), []byte(md), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "results.png"), png, 0o644)
}

// refAssets serves gotrue-js's ES module and script bundle at /ref/.
func refAssets(files map[string]*file, l layout) assets {
	a := assets{}
	for urlPath, p := range map[string]string{"/ref/lib/index.js": l.refESM(), "/ref/browser/gotrue.js": l.refBundle()} {
		f := files[p]
		a[urlPath] = &asset{
			contentType: "text/javascript; charset=utf-8",
			plain:       f.data,
			encoded:     []encodedBody{{"gzip", compress.Gzip(f.data, 6)}}, // the dev server's on-the-fly level
		}
	}
	return a
}

// bareAssets serves the floors at /bare/bare.wasm and
// /bare/callfloor.wasm, precompressed like gotrue.wasm.
func bareAssets(bare, callFloor *file) assets {
	wasm := func(f *file) *asset {
		return &asset{contentType: "application/wasm", plain: f.data, encoded: []encodedBody{{"br", f.br}, {"gzip", f.gz}}}
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
