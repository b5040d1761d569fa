package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// CPUMetric is the counter of the server's /metrics that rows read their
// server CPU from: the process's user and system CPU time in seconds, as
// Prometheus's process collector exports it.
const CPUMetric = "process_cpu_seconds_total"

// scrapeTimeout bounds one GET /metrics (or the row's request timeout when
// that is shorter).
const scrapeTimeout = 5 * time.Second

// maxMetricsBytes bounds the /metrics answer read.
const maxMetricsBytes = 16 << 20

// cpuProbe reads the server's CPU time from its /metrics. After the first
// failure it stops asking and keeps the reason: every row then has no
// server CPU.
type cpuProbe struct {
	url     string // the server's /metrics
	hc      *http.Client
	timeout time.Duration
	failed  string // why the server's CPU is unknown; "" while it is not
}

func newCPUProbe(base *url.URL, hc *http.Client, requestTimeout time.Duration) *cpuProbe {
	u := *base
	u.Path += "/metrics"
	u.RawQuery, u.Fragment = "", ""
	return &cpuProbe{url: u.String(), hc: hc, timeout: min(requestTimeout, scrapeTimeout)}
}

// read returns the server's CPU seconds so far. After a failure that is
// the server's (not a canceled ctx), every later read fails the same way
// without asking again.
func (p *cpuProbe) read(ctx context.Context) (float64, error) {
	if p.failed != "" {
		return 0, errors.New(p.failed)
	}
	v, err := p.scrape(ctx)
	if err != nil && ctx.Err() == nil {
		p.failed = err.Error()
	}
	return v, err
}

// scrape asks for /metrics once, without the token (the endpoint needs
// none and a token has no business on a scraper's request).
func (p *cpuProbe) scrape(ctx context.Context) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return 0, fmt.Errorf("GET /metrics: %w", err)
	}
	req.Header.Set("Accept", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
	resp, err := p.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET /metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		return 0, fmt.Errorf("GET /metrics: HTTP %d", resp.StatusCode)
	}
	v, err := parseCPUSeconds(io.LimitReader(resp.Body, maxMetricsBytes), resp.Header)
	if err != nil {
		return 0, fmt.Errorf("GET /metrics: %w", err)
	}
	return v, nil
}

// parseCPUSeconds finds CPUMetric in a /metrics answer: the Prometheus
// text format or delimited protobuf, as its Content-Type says (the text
// format when it says neither). The metric must be a single series of a
// counter (or a gauge or untyped value, as some exporters write it).
func parseCPUSeconds(body io.Reader, h http.Header) (float64, error) {
	format := expfmt.ResponseFormat(h)
	if format.FormatType() == expfmt.TypeUnknown {
		format = expfmt.NewFormat(expfmt.TypeTextPlain)
	}
	dec := expfmt.NewDecoder(body, format)
	for {
		var mf dto.MetricFamily
		err := dec.Decode(&mf)
		if errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("no %s in the answer", CPUMetric)
		}
		if err != nil {
			return 0, fmt.Errorf("not the Prometheus exposition format: %w", err)
		}
		if mf.GetName() != CPUMetric {
			continue
		}
		if n := len(mf.GetMetric()); n != 1 {
			return 0, fmt.Errorf("%s has %d series, want 1", CPUMetric, n)
		}
		m := mf.GetMetric()[0]
		switch mf.GetType() {
		case dto.MetricType_COUNTER:
			return m.GetCounter().GetValue(), nil
		case dto.MetricType_GAUGE:
			return m.GetGauge().GetValue(), nil
		case dto.MetricType_UNTYPED:
			return m.GetUntyped().GetValue(), nil
		default:
			return 0, fmt.Errorf("%s is a %s, not a counter", CPUMetric, mf.GetType())
		}
	}
}

// cpuSpan is the server's CPU seconds read before a row.
type cpuSpan struct {
	start float64
	err   error
}

// begin reads the counter before a row.
func (p *cpuProbe) begin(ctx context.Context) cpuSpan {
	v, err := p.read(ctx)
	return cpuSpan{start: v, err: err}
}

// end reads the counter after the row and returns the CPU time the server
// spent in between, or why it is unknown: a failed reading, or a counter
// that went back (the server restarted).
func (p *cpuProbe) end(ctx context.Context, s cpuSpan) (time.Duration, error) {
	if s.err != nil {
		return 0, s.err
	}
	v, err := p.read(ctx)
	if err != nil {
		return 0, err
	}
	if v < s.start {
		return 0, fmt.Errorf("%s went back from %g to %g: did the server restart?", CPUMetric, s.start, v)
	}
	return time.Duration(math.Round((v - s.start) * float64(time.Second))), nil
}
